// A screen's own texts, kept beside the screen rather than in one shared file: the English
// defines the keys, and the German and the Chinese must have exactly those keys (the compiler
// checks). initI18n merges every bundle listed in index.ts into one translation per language.
export type Tree = { [k: string]: string | Tree };
export interface Bundle<T extends Tree = Tree> {
  en: T;
  de: T;
  zh: T;
}

/** `bundle(en)({ de, zh })`: the keys come from the English alone. */
export function bundle<T extends Tree>(en: T): (rest: { de: T; zh: T }) => Bundle<T> {
  return (rest) => ({ en, de: rest.de, zh: rest.zh });
}

/** `base` with `extra` merged in; a key present in both as text is an error (two screens
 * claiming one text). */
export function mergeTree(base: Tree, extra: Tree, path = ''): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const have = out[k];
    if (have === undefined) out[k] = v;
    else if (typeof have !== 'string' && typeof v !== 'string') out[k] = mergeTree(have, v, `${path}${k}.`);
    else throw new Error(`i18n: the text ${path}${k} is defined twice`);
  }
  return out;
}
