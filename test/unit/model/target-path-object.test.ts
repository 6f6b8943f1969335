import { describe, expect, it } from 'vitest';
import { TargetPathObject } from '../../../src/model/target-path-object.js';

describe('TargetPathObject', () => {
  it('appends {run_id}/ to a directory', () => {
    const p = new TargetPathObject('v3io:///bigdata/', 'run_id_val');
    expect(p.getTemplatedPath()).toBe('v3io:///bigdata/{run_id}/');
    expect(p.getAbsolutePath()).toBe('v3io:///bigdata/run_id_val/');
    expect(new TargetPathObject('out', 'r1').getAbsolutePath()).toBe('out/r1/');
  });

  it('inserts {run_id}/ before a file name', () => {
    const p = new TargetPathObject('s3://b/dir/file.parquet', 'r1', true);
    expect(p.getTemplatedPath()).toBe('s3://b/dir/{run_id}/file.parquet');
    expect(p.getAbsolutePath()).toBe('s3://b/dir/r1/file.parquet');
    expect(new TargetPathObject('file.csv', 'r1', true).getAbsolutePath()).toBe('r1/file.csv');
  });

  it('adds a trailing slash to a path ending in {run_id}', () => {
    const p = new TargetPathObject('out/{run_id}', 'r1');
    expect(p.getTemplatedPath()).toBe('out/{run_id}/');
    expect(p.getAbsolutePath()).toBe('out/r1/');
  });

  it('keeps a placeholder in the middle', () => {
    expect(new TargetPathObject('out/{run_id}/x/', 'r1').getAbsolutePath()).toBe('out/r1/x/');
  });

  it('throws on {run_id} without a run id', () => {
    expect(() => new TargetPathObject('out/{run_id}/')).toThrow(/contains \{run_id\} but no run id/);
  });

  it('leaves a path without run id untouched and fills the project', () => {
    const p = new TargetPathObject('s3://b/{{project}}/sets/');
    expect(p.getAbsolutePath('demo')).toBe('s3://b/demo/sets/');
    expect(p.getTemplatedPath()).toBe('s3://b/{{project}}/sets/');
  });
});

describe('TargetPathObject MLRun templates (#10)', () => {
  it('fills {{run.uid}} with the run uid, or "project" without one (as MLRun\'s template_artifact_path)', () => {
    const p = new TargetPathObject('s3://b/{{project}}/art/{{run.uid}}/', 'r1');
    expect(p.getTemplatedPath()).toBe('s3://b/{{project}}/art/{{run.uid}}/{run_id}/');
    expect(p.getAbsolutePath('shop', 'uid9')).toBe('s3://b/shop/art/uid9/r1/');
    expect(p.getAbsolutePath('shop')).toBe('s3://b/shop/art/project/r1/');
    expect(new TargetPathObject('out/{{run.uid}}/').getAbsolutePath(undefined, 'u1')).toBe('out/u1/');
  });

  it('refuses an unfilled {{project}} or {{run.project}}, naming the path', () => {
    expect(() => new TargetPathObject('s3://b/{{project}}/sets/').getAbsolutePath()).toThrow(
      'target path "s3://b/{{project}}/sets/" contains {{project}} but no project was given; pass the project name or remove the placeholder',
    );
    expect(() => new TargetPathObject('out/{{run.project}}/', 'r1').getAbsolutePath('')).toThrow(/contains \{\{run.project\}\} but no project/);
    expect(new TargetPathObject('out/{{run.project}}/', 'r1').getAbsolutePath('p')).toBe('out/p/r1/');
  });
});
