import { describe, expect, it } from 'vitest';
import { DEFAULT_HEARTBEAT, heartbeatSettings } from '../../../src/run/heartbeat.js';

describe('heartbeatSettings', () => {
  it('defaults to a heartbeat every 10 s and a 60 s expiry; the environment and options override', () => {
    expect(heartbeatSettings({}, {})).toEqual(DEFAULT_HEARTBEAT);
    expect(DEFAULT_HEARTBEAT).toEqual({ intervalMs: 10_000, expiryMs: 60_000 });
    expect(heartbeatSettings({}, { SLUICE_HEARTBEAT_SECONDS: '0.2', SLUICE_HEARTBEAT_EXPIRY_SECONDS: '1' })).toEqual({ intervalMs: 200, expiryMs: 1000 });
    expect(heartbeatSettings({ expiryMs: 5000 }, { SLUICE_HEARTBEAT_SECONDS: '1', SLUICE_HEARTBEAT_EXPIRY_SECONDS: '2' })).toEqual({ intervalMs: 1000, expiryMs: 5000 });
  });

  it('refuses a bad value naming the variable, and an expiry not longer than the interval', () => {
    expect(() => heartbeatSettings({}, { SLUICE_HEARTBEAT_EXPIRY_SECONDS: 'soon' })).toThrow(
      'SLUICE_HEARTBEAT_EXPIRY_SECONDS: "soon" is not a positive number of seconds up to 86,400',
    );
    expect(() => heartbeatSettings({}, { SLUICE_HEARTBEAT_SECONDS: '60' })).toThrow(
      'heartbeat expiry 60 s must be longer than the heartbeat interval 60 s (SLUICE_HEARTBEAT_EXPIRY_SECONDS, SLUICE_HEARTBEAT_SECONDS)',
    );
  });
});
