// Error codes from the host (FACE_*, OFFLINE_*, ENROL_*) with what to do next, for the customer's
// screen; a code without a text here falls back to the host's English message.
import { bundle } from './bundle.js';

export const errors = bundle({
  errors: {
    FACE_NO_SMILE:
      'We did not see a smile after the prompt, so nothing was paid. Try again and smile when the screen says "Now smile!".',
    FACE_SMILED_EARLY: 'You smiled before the prompt. Keep a neutral face and smile only when asked.',
    FACE_SMILE_TOO_FAST:
      'The smile came before the prompt could be seen. This looks like a recording, so nothing was paid.',
    FACE_FROZEN: 'The picture does not move: a photo or a paused screen. Nothing was paid.',
    FACE_TRACK_BROKEN: 'The picture jumped between faces or photos. Nothing was paid.',
    FACE_STALLED: 'The camera stalled and missed your smile. Nothing was paid. Please try again.',
    ORDER_CHANGED: 'The bill changed while you were paying. Nothing was paid. Please check the amount and try again.',
    FACE_MULTIPLE: 'More than one face is close to the camera. One person at a time, please.',
    FACE_LOST: 'Your face left the camera. Please try again.',
    FACE_IDENTITY_CHANGED: 'A different person appeared during the check. One person at a time, please.',
    FACE_NO_NEUTRAL: 'Keep a neutral face first, smile when asked, and relax when the prompt goes away.',
    FACE_TOO_FEW_GOOD_FRAMES: 'The camera could not see your face clearly. Face the camera in good light.',
    FACE_NOT_ENROLLED: 'We do not recognise this face. You can sign up for smile to pay, or pay another way.',
    FACE_AMBIGUOUS: 'We could not tell who you are. Please ask the staff.',
    OFFLINE_PAYMENT_OVER_LIMIT: 'This amount is over the limit for face payment here. Please pay by card or cash.',
    OFFLINE_DAY_OVER_LIMIT: "You have reached today's face payment limit. Please pay by card or cash.",
    OFFLINE_SYNC_OVERDUE: 'This kiosk has been offline too long for face payments. Please pay by card or cash.',
    OFFLINE_ACCOUNT_FROZEN: 'This account is on hold. Please pay another way or ask the staff.',
    ENROL_DUPLICATE: 'This face is already signed up.',
    ENROL_TOO_FEW_GOOD: 'We need clearer pictures. Face the camera in good light and try again.',
    ENROL_NEEDS_SERVER: 'Sign-up needs a connection to the server. Please try again later.',
    DELETE_NEEDS_SERVER: 'Deletion needs a connection to the server. Please try again later or ask the staff.',
    API_TIMEOUT: 'The kiosk is not answering. Please ask the staff.',
    camera: 'The camera could not be opened: {{detail}}',
  },
})({
  de: {
    errors: {
      FACE_NO_SMILE:
        'Nach der Aufforderung haben wir kein Lächeln gesehen, daher wurde nichts bezahlt. Versuchen Sie es erneut und lächeln Sie bei „Jetzt lächeln!“.',
      FACE_SMILED_EARLY:
        'Sie haben vor der Aufforderung gelächelt. Bitte neutral schauen und erst auf Aufforderung lächeln.',
      FACE_SMILE_TOO_FAST:
        'Das Lächeln kam, bevor die Aufforderung zu sehen war. Das sieht nach einer Aufnahme aus; es wurde nichts bezahlt.',
      FACE_FROZEN: 'Das Bild bewegt sich nicht: ein Foto oder ein angehaltener Bildschirm. Es wurde nichts bezahlt.',
      FACE_TRACK_BROKEN: 'Das Bild sprang zwischen Gesichtern oder Fotos. Es wurde nichts bezahlt.',
      FACE_STALLED:
        'Die Kamera hat gestockt und Ihr Lächeln verpasst. Es wurde nichts bezahlt. Bitte versuchen Sie es noch einmal.',
      ORDER_CHANGED:
        'Die Rechnung wurde während des Bezahlens geändert. Es wurde nichts bezahlt. Bitte Betrag prüfen und erneut versuchen.',
      FACE_MULTIPLE: 'Mehr als ein Gesicht ist nah an der Kamera. Bitte nur eine Person.',
      FACE_LOST: 'Ihr Gesicht hat die Kamera verlassen. Bitte erneut versuchen.',
      FACE_IDENTITY_CHANGED: 'Während der Prüfung erschien eine andere Person. Bitte nur eine Person.',
      FACE_NO_NEUTRAL:
        'Bitte zuerst neutral schauen, auf Aufforderung lächeln und entspannen, wenn die Aufforderung verschwindet.',
      FACE_TOO_FEW_GOOD_FRAMES:
        'Die Kamera konnte Ihr Gesicht nicht deutlich sehen. Bitte bei gutem Licht in die Kamera schauen.',
      FACE_NOT_ENROLLED:
        'Wir erkennen dieses Gesicht nicht. Sie können sich für Lächeln-Bezahlen anmelden oder anders bezahlen.',
      FACE_AMBIGUOUS: 'Wir konnten Sie nicht eindeutig erkennen. Bitte fragen Sie das Personal.',
      OFFLINE_PAYMENT_OVER_LIMIT:
        'Dieser Betrag liegt über dem Limit für Gesichtszahlung. Bitte mit Karte oder bar bezahlen.',
      OFFLINE_DAY_OVER_LIMIT: 'Ihr Tageslimit für Gesichtszahlung ist erreicht. Bitte mit Karte oder bar bezahlen.',
      OFFLINE_SYNC_OVERDUE:
        'Dieser Kiosk ist zu lange offline für Gesichtszahlungen. Bitte mit Karte oder bar bezahlen.',
      OFFLINE_ACCOUNT_FROZEN: 'Dieses Konto ist gesperrt. Bitte anders bezahlen oder das Personal fragen.',
      ENROL_DUPLICATE: 'Dieses Gesicht ist bereits angemeldet.',
      ENROL_TOO_FEW_GOOD: 'Wir brauchen deutlichere Aufnahmen. Bitte bei gutem Licht erneut versuchen.',
      ENROL_NEEDS_SERVER: 'Die Anmeldung braucht eine Verbindung zum Server. Bitte später erneut versuchen.',
      DELETE_NEEDS_SERVER:
        'Das Löschen braucht eine Verbindung zum Server. Bitte später erneut versuchen oder das Personal fragen.',
      API_TIMEOUT: 'Der Kiosk antwortet nicht. Bitte fragen Sie das Personal.',
      camera: 'Die Kamera konnte nicht geöffnet werden: {{detail}}',
    },
  },
  zh: {
    errors: {
      FACE_NO_SMILE: '提示后没有检测到微笑，因此未扣款。请重试，看到“请微笑！”时再微笑。',
      FACE_SMILED_EARLY: '您在提示前就微笑了。请保持自然表情，听到提示再微笑。',
      FACE_SMILE_TOO_FAST: '微笑出现在提示可见之前，疑似录像，未扣款。',
      FACE_FROZEN: '画面静止不动（照片或暂停的屏幕），未扣款。',
      FACE_TRACK_BROKEN: '画面在不同人脸或照片之间跳变，未扣款。',
      FACE_STALLED: '摄像头卡顿，错过了您的微笑。未扣款，请再试一次。',
      ORDER_CHANGED: '付款过程中账单已更改。未扣款，请核对金额后再试一次。',
      FACE_MULTIPLE: '摄像头前有多张人脸，请一次一人。',
      FACE_LOST: '您的脸离开了摄像头，请重试。',
      FACE_IDENTITY_CHANGED: '核验过程中出现了另一个人，请一次一人。',
      FACE_NO_NEUTRAL: '请先保持自然表情，看到提示再微笑，提示消失后放松。',
      FACE_TOO_FEW_GOOD_FRAMES: '摄像头看不清您的脸，请在光线良好处正对摄像头。',
      FACE_NOT_ENROLLED: '无法识别此人脸。您可以开通微笑支付，或使用其他方式付款。',
      FACE_AMBIGUOUS: '无法确认您的身份，请联系工作人员。',
      OFFLINE_PAYMENT_OVER_LIMIT: '该金额超过本机刷脸支付限额，请刷卡或现金支付。',
      OFFLINE_DAY_OVER_LIMIT: '您今日的刷脸支付已达上限，请刷卡或现金支付。',
      OFFLINE_SYNC_OVERDUE: '本机离线时间过长，暂停刷脸支付，请刷卡或现金支付。',
      OFFLINE_ACCOUNT_FROZEN: '该账户已被冻结，请使用其他方式付款或联系工作人员。',
      ENROL_DUPLICATE: '此人脸已开通。',
      ENROL_TOO_FEW_GOOD: '需要更清晰的照片，请在光线良好处重试。',
      ENROL_NEEDS_SERVER: '开通需要连接服务器，请稍后重试。',
      DELETE_NEEDS_SERVER: '删除需要连接服务器，请稍后重试或联系工作人员。',
      API_TIMEOUT: '自助机无响应，请联系工作人员。',
      camera: '无法打开摄像头：{{detail}}',
    },
  },
});
