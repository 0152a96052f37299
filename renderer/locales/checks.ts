// The self-check's details (status screen, the cashier's health panel) in the screen's language.
// {{now_ms}} is formatted by the screen; a failure's own message stays as the host gave it.
import { bundle } from './bundle.js';

export const checks = bundle({
  checks: {
    camera_waiting: 'waiting for the screen to open the camera',
    vision_waiting: "waiting for the kiosk's vision worker to load the face models",
    vision_ok: '{{backend}}, {{ms}} ms per frame',
    vision_slow: '{{backend}}, {{ms}} ms per frame: slower than {{max}} ms, the kiosk cannot see when a smile begins',
    clock: '{{now}}',
    clock_skew: '{{now}}, {{skew_s}} s from the settlement server',
    ledger_ok: '{{entries}} entries, the last {{checked}} re-verified at start',
    settlement_none: 'no settlement server configured',
    settlement_http: '{{url}}: HTTP {{status}} in {{ms}} ms',
    settlement_down: '{{url}}: unreachable; payments are taken offline within limits',
    models_ok: '{{files}} files, {{mb}} MB, checksums verified',
  },
})({
  de: {
    checks: {
      camera_waiting: 'wartet, bis der Bildschirm die Kamera öffnet',
      vision_waiting: 'wartet, bis der Kiosk die Gesichtsmodelle lädt',
      vision_ok: '{{backend}}, {{ms}} ms pro Bild',
      vision_slow:
        '{{backend}}, {{ms}} ms pro Bild: langsamer als {{max}} ms, der Kiosk sieht nicht, wann ein Lächeln beginnt',
      clock: '{{now}}',
      clock_skew: '{{now}}, {{skew_s}} s Abweichung zum Abrechnungsserver',
      ledger_ok: '{{entries}} Einträge, die letzten {{checked}} beim Start erneut geprüft',
      settlement_none: 'kein Abrechnungsserver eingerichtet',
      settlement_http: '{{url}}: HTTP {{status}} in {{ms}} ms',
      settlement_down: '{{url}}: nicht erreichbar; Zahlungen werden offline innerhalb der Limits angenommen',
      models_ok: '{{files}} Dateien, {{mb}} MB, Prüfsummen bestätigt',
    },
  },
  zh: {
    checks: {
      camera_waiting: '等待屏幕打开摄像头',
      vision_waiting: '等待自助机加载人脸模型',
      vision_ok: '{{backend}}，每帧 {{ms}} 毫秒',
      vision_slow: '{{backend}}，每帧 {{ms}} 毫秒：超过 {{max}} 毫秒，无法判断微笑开始的时刻',
      clock: '{{now}}',
      clock_skew: '{{now}}，与结算服务器相差 {{skew_s}} 秒',
      ledger_ok: '{{entries}} 条记录，启动时重新校验了最后 {{checked}} 条',
      settlement_none: '未配置结算服务器',
      settlement_http: '{{url}}：HTTP {{status}}，{{ms}} 毫秒',
      settlement_down: '{{url}}：无法连接；在限额内离线收款',
      models_ok: '{{files}} 个文件，{{mb}} MB，校验和已验证',
    },
  },
});
