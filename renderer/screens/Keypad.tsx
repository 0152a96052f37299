// Four digits by touch: large keys for arm's length.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function Keypad(props: { onDone: (digits: string) => void; testId: string }) {
  const { t } = useTranslation();
  const [digits, setDigits] = useState('');
  const press = (d: string): void => setDigits((s) => (s.length < 4 ? s + d : s));
  return (
    <div className="keypad" data-testid={props.testId}>
      <div className="keypad-display" data-testid="digits">{digits.padEnd(4, '•')}</div>
      <div className="keypad-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', 'OK'].map((k) => (
          <button
            key={k}
            className={`key ${k === 'OK' ? 'key-ok' : ''}`}
            data-testid={`key-${k}`}
            disabled={k === 'OK' && digits.length !== 4}
            onClick={() => (k === 'C' ? setDigits('') : k === 'OK' ? props.onDone(digits) : press(k))}
          >
            {k === 'C' ? t('stepUp.clear') : k === 'OK' ? t('stepUp.ok') : k}
          </button>
        ))}
      </div>
    </div>
  );
}
