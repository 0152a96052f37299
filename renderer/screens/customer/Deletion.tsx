// The close of a deletion on request (asked from the order screen, checked by the face and the
// phone digits): the customer's face data has been deleted.
import { useTranslation } from 'react-i18next';

export function DeletedView(props: { onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="screen deleted" data-testid="screen-deleted">
      <div className="big-mark ok">✓</div>
      <p>{t('del.done')}</p>
      <button className="primary" onClick={props.onDone}>
        {t('del.back')}
      </button>
    </section>
  );
}
