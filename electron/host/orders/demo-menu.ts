// The demo store's menu: a noodle bar's categories and dishes, with their options and tax
// categories (food, drinks), in the three languages of the screens. Prices include VAT, as a
// German menu's do. The menu lives in code for now (the menu editor is a later issue).
import type { MenuCategory, MenuItem } from '../../contract/api.js';

export const DEMO_CATEGORIES: MenuCategory[] = [
  { category_id: 'mains', name: { en: 'Mains', de: 'Hauptgerichte', zh: '主食' } },
  { category_id: 'sides', name: { en: 'Sides', de: 'Beilagen', zh: '小吃' } },
  { category_id: 'drinks', name: { en: 'Drinks', de: 'Getränke', zh: '饮品' } },
  { category_id: 'desserts', name: { en: 'Desserts', de: 'Desserts', zh: '甜品' } },
];

export const DEMO_MENU: MenuItem[] = [
  {
    item_id: 'ramen',
    category_id: 'mains',
    name: { en: 'Tonkotsu ramen', de: 'Tonkotsu-Ramen', zh: '豚骨拉面' },
    price_minor: 1_290,
    tax_category: 'food',
    options: [
      { option_id: 'egg', name: { en: 'Extra egg', de: 'Extra Ei', zh: '加蛋' }, price_minor: 150 },
      { option_id: 'chashu', name: { en: 'Extra chashu', de: 'Extra Chashu', zh: '加叉烧' }, price_minor: 300 },
      {
        option_id: 'no-onion',
        name: { en: 'No spring onion', de: 'Ohne Frühlingszwiebeln', zh: '不要葱' },
        price_minor: 0,
      },
      { option_id: 'spicy', name: { en: 'Spicy', de: 'Scharf', zh: '辣' }, price_minor: 0 },
    ],
  },
  {
    item_id: 'gyoza',
    category_id: 'sides',
    name: { en: 'Gyoza (6)', de: 'Gyoza (6 Stück)', zh: '煎饺（6只）' },
    price_minor: 590,
    tax_category: 'food',
    options: [{ option_id: 'chili-oil', name: { en: 'Chili oil', de: 'Chiliöl', zh: '辣油' }, price_minor: 50 }],
  },
  {
    item_id: 'edamame',
    category_id: 'sides',
    name: { en: 'Edamame', de: 'Edamame', zh: '毛豆' },
    price_minor: 390,
    tax_category: 'food',
    options: [],
  },
  {
    item_id: 'tea',
    category_id: 'drinks',
    name: { en: 'Jasmine tea', de: 'Jasmintee', zh: '茉莉花茶' },
    price_minor: 290,
    tax_category: 'drinks',
    options: [{ option_id: 'iced', name: { en: 'Iced', de: 'Mit Eis', zh: '冰' }, price_minor: 0 }],
  },
  {
    item_id: 'mochi',
    category_id: 'desserts',
    name: { en: 'Mochi ice cream', de: 'Mochi-Eis', zh: '麻薯冰淇淋' },
    price_minor: 450,
    tax_category: 'food',
    options: [],
  },
];
