/**
 * The dashboard page of a run, `<SLUICE_UI_URL>/runs/<project>/<uid>`, when `SLUICE_UI_URL` names where
 * `sluice ui` is served; undefined otherwise.
 */
export function runPageUrl(project: string, uid: string, env: Record<string, string | undefined> = process.env): string | undefined {
  const base = env.SLUICE_UI_URL?.trim().replace(/\/+$/, '');
  if (!base) return undefined;
  return `${base}/runs/${encodeURIComponent(project)}/${encodeURIComponent(uid)}`;
}
