import { fields, T } from './field.js';
import { assignFields, ModelObj } from './model-obj.js';
import { NOTIFICATION_STATUSES } from './notification.js';
import type { NotificationStatus } from './notification.js';
import { RUN_STATES } from './run-states.js';
import type { RunState } from './run-states.js';

export interface NotificationDeliveryOptions {
  status?: NotificationStatus;
  sentTime?: Date | string;
  reason?: string;
  runState?: 'running';
}

/**
 * The delivery record of one notification on a run: `status` (pending → sent | error), when it was sent and,
 * on error, why. Wire form `{ status, sent_time, reason }`, as MLRun's `status.notifications[name]`, plus
 * Sluice's `run_state: running` on the delivery made when the run started (a later listed state still sends).
 */
export class NotificationDelivery extends ModelObj {
  static override readonly fields = fields([
    ['status', 'status', T.enum(NOTIFICATION_STATUSES)],
    ['sentTime', 'sent_time', T.date],
    ['reason', 'reason', T.string],
    ['runState', 'run_state', T.enum(['running'])],
  ]);

  status: NotificationStatus = 'pending';
  sentTime?: Date;
  reason?: string;
  runState?: 'running';

  constructor(options: NotificationDeliveryOptions = {}) {
    super();
    assignFields(this, NotificationDelivery, options);
  }
}

/** One artifact record in `RunStatus.artifacts`: a JSON mapping (MLRun's artifact dict: kind, metadata, spec, ...). */
export type ArtifactRecord = Record<string, unknown>;

export interface RunStatusOptions {
  state?: RunState;
  error?: string;
  host?: string;
  commit?: string;
  statusText?: string;
  results?: Record<string, unknown>;
  artifacts?: ArtifactRecord[];
  startTime?: Date | string;
  lastUpdate?: Date | string;
  iterations?: unknown[][];
  uiUrl?: string;
  reason?: string;
  notifications?: Record<string, NotificationDelivery>;
  artifactUris?: Record<string, string>;
}

/**
 * Run status (MLRun's `mlrun.model.RunStatus`). `state` defaults to `created`.
 * - `results`: result values by key (JSON).
 * - `artifacts`: a **list** of artifact records (JSON mappings), as MLRun's run dicts carry them;
 *   `artifactUris` maps an artifact key to its store URI (MLRun ≥ 1.7), the quick lookup by key.
 * - `iterations`: the hyperparameter children table, a list of rows whose first row is the header
 *   (MLRun: `["state", "iter", "param.p1", ..., "output.accuracy", ...]`).
 * - `notifications`: delivery record per notification name.
 */
export class RunStatus extends ModelObj {
  static override readonly fields = fields([
    ['state', 'state', T.enum(RUN_STATES)],
    ['error', 'error', T.string],
    ['host', 'host', T.string],
    ['commit', 'commit', T.string],
    ['statusText', 'status_text', T.string],
    ['results', 'results', T.map(T.json)],
    ['artifacts', 'artifacts', T.list(T.map(T.json))],
    ['startTime', 'start_time', T.date],
    ['lastUpdate', 'last_update', T.date],
    ['iterations', 'iterations', T.list(T.list(T.json))],
    ['uiUrl', 'ui_url', T.string],
    ['reason', 'reason', T.string],
    ['notifications', 'notifications', T.map(T.model(() => NotificationDelivery))],
    ['artifactUris', 'artifact_uris', T.map(T.string)],
  ]);

  state: RunState = 'created';
  error?: string;
  host?: string;
  commit?: string;
  statusText?: string;
  results?: Record<string, unknown>;
  artifacts?: ArtifactRecord[];
  startTime?: Date;
  lastUpdate?: Date;
  iterations?: unknown[][];
  uiUrl?: string;
  reason?: string;
  notifications?: Record<string, NotificationDelivery>;
  artifactUris?: Record<string, string>;

  constructor(options: RunStatusOptions = {}) {
    super();
    assignFields(this, RunStatus, options);
  }
}
