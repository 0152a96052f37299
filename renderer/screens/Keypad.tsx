// Digits by touch: large keys for arm's length. Four digits by default (the phone digits of a
// step-up); a staff PIN takes 4 to 8 and is masked.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function Keypad(props: {
  onDone: (digits: string) => void;
  testId: string;
  min?: number;
  max?: number;
  mask?: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const min = props.min ?? 4;
  const max = props.max ?? min;
  const [digits, setDigits] = useState('');
  const press = (d: string): void => setDigits((s) => (s.length < max ? s + d : s));
  const shown = props.mask ? '●'.repeat(digits.length) : digits;
  return (
    <div className="keypad" data-testid={props.testId}>
      <div className="keypad-display" data-testid="digits">
        {shown.padEnd(min, '•')}
      </div>
      <div className="keypad-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', 'OK'].map((k) => (
          <button
            key={k}
            className={`key ${k === 'OK' ? 'key-ok' : ''} ${k === 'C' || k === 'OK' ? 'key-word' : ''}`}
            data-testid={`key-${k}`}
            disabled={props.disabled === true || (k === 'OK' && (digits.length < min || digits.length > max))}
            onClick={() => (k === 'C' ? setDigits('') : k === 'OK' ? props.onDone(digits) : press(k))}
          >
            {k === 'C' ? t('stepUp.clear') : k === 'OK' ? t('stepUp.ok') : k}
          </button>
        ))}
      </div>
    </div>
  );
}
