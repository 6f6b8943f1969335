import { SpecError } from '../errors.js';

export const RUN_ID_PLACEHOLDER = '{run_id}';
/** MLRun's run uid template, filled by `getAbsolutePath`. */
export const RUN_UID_PLACEHOLDER = '{{run.uid}}';
/** MLRun's project templates (`{{run.project}}` is the older spelling). */
export const PROJECT_PLACEHOLDERS: readonly string[] = ['{{run.project}}', '{{project}}'];

/**
 * A target path with an optional run id (MLRun's `TargetPathObject`). With a run id and no `{run_id}`
 * placeholder, a directory gets `{run_id}/` appended and a single file gets `dir/{run_id}/file.ext`; a path
 * already ending in `{run_id}` gets a trailing `/`; a placeholder without a run id is an error.
 *
 * @example
 * new TargetPathObject('s3://b/sets/', '1700000000000_7').getAbsolutePath(); // 's3://b/sets/1700000000000_7/'
 */
export class TargetPathObject {
  readonly fullPathTemplate: string;
  readonly runId: string | undefined;

  constructor(basePath: string, runId?: string, isSingleFile = false) {
    this.runId = runId || undefined;
    let path = basePath;
    if (this.runId !== undefined && !path.includes(RUN_ID_PLACEHOLDER)) {
      if (isSingleFile) {
        const slash = path.lastIndexOf('/');
        path = slash < 0 ? `${RUN_ID_PLACEHOLDER}/${path}` : `${path.slice(0, slash + 1)}${RUN_ID_PLACEHOLDER}/${path.slice(slash + 1)}`;
      } else {
        path = `${path.endsWith('/') ? path : `${path}/`}${RUN_ID_PLACEHOLDER}/`;
      }
    } else if (this.runId !== undefined && path.endsWith(RUN_ID_PLACEHOLDER)) {
      path = `${path}/`;
    }
    if (this.runId === undefined && path.includes(RUN_ID_PLACEHOLDER)) {
      throw new SpecError(`target path "${basePath}" contains ${RUN_ID_PLACEHOLDER} but no run id was given; pass a run id or remove the placeholder`);
    }
    this.fullPathTemplate = path;
  }

  /** The path with the `{run_id}` placeholder kept: what a feature set's status records. */
  getTemplatedPath(): string {
    return this.fullPathTemplate;
  }

  /**
   * The path with `{run_id}` filled in, `{{project}}` / `{{run.project}}` with the project, and `{{run.uid}}` with
   * the run uid (MLRun's `template_artifact_path`: the word `project` when no uid is given). A project placeholder
   * without a project is a {@link SpecError}, as in MLRun.
   */
  getAbsolutePath(project?: string, runUid?: string): string {
    let p = this.fullPathTemplate.replaceAll(RUN_UID_PLACEHOLDER, runUid || 'project');
    for (const placeholder of PROJECT_PLACEHOLDERS) {
      if (!p.includes(placeholder)) continue;
      if (!project) {
        throw new SpecError(
          `target path "${this.fullPathTemplate}" contains ${placeholder} but no project was given; pass the project name or remove the placeholder`,
        );
      }
      p = p.replaceAll(placeholder, project);
    }
    return this.runId === undefined ? p : p.replaceAll(RUN_ID_PLACEHOLDER, this.runId);
  }
}
