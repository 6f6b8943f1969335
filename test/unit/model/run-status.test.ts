import { describe, expect, it } from 'vitest';
import { NotificationDelivery, RunStatus } from '../../../src/model/run-status.js';
import { SpecError } from '../../../src/errors.js';

describe('RunStatus', () => {
  it('defaults state to created', () => {
    expect(new RunStatus().state).toBe('created');
    expect(new RunStatus().toDict()).toEqual({ state: 'created' });
    expect(RunStatus.fromDict({}).state).toBe('created');
  });

  it('round-trips every field through dict, JSON and YAML; dates as ISO with offset', () => {
    const st = new RunStatus({
      state: 'completed',
      error: 'e',
      host: 'h1',
      commit: 'abc123',
      statusText: 'done',
      results: { accuracy: 0.9, rows: 10 },
      artifacts: [{ kind: 'table', metadata: { key: 'iteration_results' } }],
      startTime: '2024-01-05T10:00:00Z',
      lastUpdate: new Date('2024-01-05T10:05:00Z'),
      iterations: [['state', 'iter', 'param.p1', 'output.accuracy'], ['completed', 1, 2, 0.9]],
      uiUrl: 'http://ui/run',
      reason: 'r',
      notifications: { ops: new NotificationDelivery({ status: 'sent', sentTime: '2024-01-05T10:06:00Z' }) },
      artifactUris: { model: 'store://artifacts/p/model' },
    });
    expect(st.startTime).toEqual(new Date('2024-01-05T10:00:00Z'));
    const d = st.toDict();
    expect(d).toMatchObject({
      state: 'completed',
      status_text: 'done',
      start_time: '2024-01-05T10:00:00.000+00:00',
      last_update: '2024-01-05T10:05:00.000+00:00',
      ui_url: 'http://ui/run',
      notifications: { ops: { status: 'sent', sent_time: '2024-01-05T10:06:00.000+00:00' } },
      artifact_uris: { model: 'store://artifacts/p/model' },
    });
    const back = RunStatus.fromDict(d);
    expect(back.notifications?.ops).toBeInstanceOf(NotificationDelivery);
    expect(back.notifications?.ops?.sentTime).toEqual(new Date('2024-01-05T10:06:00Z'));
    expect(back.toDict()).toEqual(d);
    expect(JSON.parse(JSON.stringify(st))).toEqual(d);
    expect(RunStatus.fromYaml(st.toYaml()).toDict()).toEqual(d);
  });

  it('refuses unknown keys and bad values, naming them', () => {
    expect(() => RunStatus.fromDict({ state: 'done' })).toThrow(/RunStatus.state: "done" is not one of "created", "pending"/);
    expect(() => RunStatus.fromDict({ status: 'x' })).toThrow(/unknown key "status"/);
    expect(() => RunStatus.fromDict({ notifications: { ops: { status: 'delivered' } } })).toThrow(
      /RunStatus.notifications.ops.status: "delivered" is not one of "pending", "sent", "error"/,
    );
    expect(() => RunStatus.fromDict({ start_time: 'soon' })).toThrow(SpecError);
    expect(() => RunStatus.fromDict({ iterations: [1, 2] })).toThrow(/RunStatus.iterations\[0\]: 1 is not a list/);
    expect(() => RunStatus.fromDict({ artifacts: { a: 1 } })).toThrow(/RunStatus.artifacts: .* is not a list/);
  });
});
