import { SpecError } from '../errors.js';
import type { DataSource, DataSourceOptions } from './data-source.js';
import { DataTargetBase } from './data-target-base.js';
import type { DataTargetBaseOptions } from './data-target-base.js';
import type { Entity, EntityOptions } from './entity.js';
import { checkValue, fields, T } from './field.js';
import { FeatureSetSpec } from './feature-set-spec.js';
import type { FeatureSetSpecOptions } from './feature-set-spec.js';
import { FeatureSetStatus } from './feature-set-status.js';
import { assignFields, ModelObj, PATH } from './model-obj.js';

export interface FeatureSetMetadataOptions {
  name?: string;
  project?: string;
  tag?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  updated?: Date | string;
}

/** A feature set's `metadata`: name, project (default `default`), tag (default `latest`). */
export class FeatureSetMetadata extends ModelObj {
  static override readonly fields = fields([
    ['name', 'name', T.string],
    ['project', 'project', T.string],
    ['tag', 'tag', T.string],
    ['uid', 'uid', T.string],
    ['labels', 'labels', T.map(T.string)],
    ['annotations', 'annotations', T.map(T.string)],
    ['updated', 'updated', T.date],
  ]);

  name = '';
  project?: string;
  tag?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  updated?: Date;

  constructor(options: FeatureSetMetadataOptions = {}) {
    super();
    assignFields(this, FeatureSetMetadata, options);
  }
}

export interface FeatureSetOptions {
  name?: string;
  project?: string;
  tag?: string;
  description?: string;
  /** Entities: instances, camelCase option objects, or bare names. */
  entities?: Array<Entity | EntityOptions | string>;
  timestampKey?: string;
  /** A `DataSource`, or its camelCase options (built into one here; a wrong type is refused naming the field). */
  source?: DataSource | DataSourceOptions;
  /** `DataTargetBase`s, or their camelCase options (built here). */
  targets?: Array<DataTargetBase | DataTargetBaseOptions>;
  metadata?: FeatureSetMetadata;
  spec?: FeatureSetSpec;
  status?: FeatureSetStatus;
  kind?: string;
}

/**
 * The unit of ingestion, in MLRun's YAML shape: `kind: FeatureSet`, `metadata: {name, project, tag}`,
 * `spec: {entities, timestamp_key, source, targets}`, `status: {targets, ...}`. Validated at construction: a
 * name, at least one entity, target names unique (a nameless target is named after its kind), target paths unique.
 *
 * @example
 * const fs = FeatureSet.fromYaml(readFileSync('fixtures/specs/transactions.yaml', 'utf8'));
 * fs.spec.targets[0]?.kind; // 'parquet'
 */
export class FeatureSet extends ModelObj {
  static override readonly fields = fields([
    ['kind', 'kind', T.enum(['FeatureSet'])],
    ['metadata', 'metadata', T.model(() => FeatureSetMetadata)],
    ['spec', 'spec', T.model(() => FeatureSetSpec)],
    ['status', 'status', T.model(() => FeatureSetStatus)],
  ]);

  kind = 'FeatureSet';
  metadata = new FeatureSetMetadata();
  spec = new FeatureSetSpec();
  status = new FeatureSetStatus();

  constructor(options: FeatureSetOptions = {}) {
    super();
    const { name, project, tag, description, entities, timestampKey, source, targets, ...wire } = options;
    assignFields(this, FeatureSet, wire);
    if (name !== undefined) this.metadata.name = name;
    if (project !== undefined) this.metadata.project = project;
    if (tag !== undefined) this.metadata.tag = tag;
    if (description !== undefined) this.spec.description = description;
    // Plain option objects become model instances here, before anything can use them (`toDict` included).
    const built = new FeatureSetSpec({ entities, source, targets, [PATH]: 'FeatureSet.spec' } as FeatureSetSpecOptions);
    if (entities !== undefined) this.spec.entities = built.entities;
    if (timestampKey !== undefined) this.spec.timestampKey = timestampKey;
    if (source !== undefined) this.spec.source = built.source;
    if (targets !== undefined) this.spec.targets = built.targets;
    this.validate();
  }

  get name(): string {
    return this.metadata.name;
  }

  get project(): string {
    return this.metadata.project ?? 'default';
  }

  get tag(): string {
    return this.metadata.tag ?? 'latest';
  }

  /** Entity (key) column names, in order. */
  get entityNames(): string[] {
    return this.spec.entities.map((e) => e.name);
  }

  /** The feature set's URI: `<project>/<name>:<tag>`. */
  get uri(): string {
    return `${this.project}/${this.name}:${this.tag}`;
  }

  /** Sets the targets (instances or camelCase options), naming each nameless one after its kind, and re-validates. */
  setTargets(targets: Array<DataTargetBase | DataTargetBaseOptions>): this {
    this.spec.targets = checkValue(T.modelList(() => DataTargetBase), targets, 'FeatureSet.spec.targets', 'options') as DataTargetBase[];
    this.validate();
    return this;
  }

  private validate(): void {
    const where = `FeatureSet "${this.metadata.name}"`;
    if (!this.metadata.name) throw new SpecError('FeatureSet.metadata.name: a feature set needs a name');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(this.metadata.name)) {
      throw new SpecError(`FeatureSet.metadata.name: "${this.metadata.name}" must start with a letter or digit and hold only letters, digits, _ . -`);
    }
    if (this.spec.entities.length === 0) {
      throw new SpecError(`${where}: spec.entities is empty; name at least one entity (key) column, e.g. entities: [user_id]`);
    }
    const names = new Set<string>();
    const paths = new Set<string>();
    for (const [i, t] of this.spec.targets.entries()) {
      if (!t.kind) throw new SpecError(`${where}: spec.targets[${i}].kind is missing; use parquet, csv or redisnosql`);
      if (!t.name) t.name = t.kind;
      if (names.has(t.name)) throw new SpecError(`${where}: two targets are named "${t.name}"; give each target a unique name`);
      names.add(t.name);
      if (t.path !== undefined) {
        if (paths.has(t.path)) throw new SpecError(`${where}: two targets write to "${t.path}"; give each target its own path`);
        paths.add(t.path);
      }
    }
  }
}
