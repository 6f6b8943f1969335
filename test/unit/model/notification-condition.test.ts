import { describe, expect, it } from 'vitest';
import { Notification } from '../../../src/model/notification.js';
import { conditionHolds, parseNotificationCondition } from '../../../src/model/notification-condition.js';
import { SpecError } from '../../../src/errors.js';

const scope = (results: Record<string, unknown>) => ({ run: { status: { state: 'completed', results } }, notification: {} });

describe('notification conditions (#10)', () => {
  it("evaluates MLRun's documented Jinja form over run.status.results, in both accessor spellings", () => {
    for (const src of [
      '{{ run["status"]["results"]["accuracy"] > 0.9 }}',
      "{{ run['status']['results']['accuracy'] > 0.9}}",
      '{{run.status.results.accuracy > 0.9}}',
      '  {{ run.status.results.accuracy > 0.9 and run["status"]["results"]["loss"] < 0.2 }}\n',
    ]) {
      const c = parseNotificationCondition(src, 'n.condition');
      expect(c?.jinja, src).toBe(true);
      expect(conditionHolds(c!, scope({ accuracy: 0.95, loss: 0.1 })), src).toBe(true);
      expect(conditionHolds(c!, scope({ accuracy: 0.5, loss: 0.1 })), src).toBe(false);
    }
  });

  it('renders a non-boolean Jinja value as MLRun does: "False", "0", "no", "off", ... and a missing value are false', () => {
    const c = parseNotificationCondition('{{ run.status.results.flag }}', 'c')!;
    for (const v of [false, 0, 'no', 'OFF', 'f', 'n', 'false', '0', null]) expect(conditionHolds(c, scope({ flag: v })), String(v)).toBe(false);
    for (const v of [true, 1, 'yes', 'drift', 0.5]) expect(conditionHolds(c, scope({ flag: v })), String(v)).toBe(true);
    expect(conditionHolds(c, scope({}))).toBe(false);
  });

  it('keeps the bare expression form, and treats an empty condition as none', () => {
    expect(parseNotificationCondition('', 'c')).toBeUndefined();
    expect(parseNotificationCondition('   ', 'c')).toBeUndefined();
    const c = parseNotificationCondition('run.status.results.accuracy > 0.9', 'c')!;
    expect(c.jinja).toBe(false);
    expect(conditionHolds(c, scope({ accuracy: 0.95 }))).toBe(true);
  });

  it('refuses, when the notification is created, a condition it cannot evaluate', () => {
    const cases: Array<[string, RegExp]> = [
      ['{{ run.status.results.accuracy > }}', /^Notification\.condition: expression " run\.status\.results\.accuracy > ": unexpected end of expression at column \d+$/],
      ['{{ run.status.results.accuracy | float > 0.9 }}', /^Notification\.condition: expression .*unexpected character "\|"/],
      ['{% if run.status.results.accuracy > 0.9 %}true{% endif %}', /^Notification\.condition: "\{% if .*" is not a supported condition; expected one Jinja expression "\{\{ \.\.\. \}\}"/],
      ['accuracy is {{ run.status.results.accuracy }}', /is not a supported condition/],
      ['{{ a }} and {{ b }}', /is not a supported condition/],
      ['{{ run.status.results.accuracy > 0.9', /is not a supported condition/],
      ['accuracy > 0.9', /^Notification\.condition: "accuracy > 0\.9" reads "accuracy"; a condition sees only run and notification, e\.g\. \{\{ run\.status\.results\.accuracy > 0\.9 \}\}$/],
    ];
    for (const [src, msg] of cases) {
      expect(() => new Notification({ condition: src }), src).toThrow(SpecError);
      expect(() => new Notification({ condition: src }), src).toThrow(msg);
    }
    expect(() => Notification.fromDict({ kind: 'console', name: 'n', condition: '{{ run.status.results.x > }}' })).toThrow(/^Notification\.condition: expression/);
  });

  it("reads Jinja's lowercase none (#10)", () => {
    const c = parseNotificationCondition('{{ run.status.results.drift != none }}', 'c')!;
    expect(conditionHolds(c, scope({ drift: 0.2 }))).toBe(true);
    expect(conditionHolds(c, scope({}))).toBe(false);
  });
});
