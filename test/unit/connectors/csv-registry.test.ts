import { describe, expect, it } from 'vitest';
import { connectorKinds, loadConnector } from '../../../connectors/registry.js';
import { NotSupportedError } from '../../../src/index.js';

describe('connector registry', () => {
  it('loads the csv module lazily by kind', async () => {
    expect(connectorKinds()).toContain('csv');
    const m = await loadConnector('csv');
    expect(m.kind).toBe('csv');
    expect(typeof m.createSource).toBe('function');
  });

  it('an unknown kind names it and the known kinds', async () => {
    await expect(loadConnector('toString')).rejects.toThrow(NotSupportedError);
    await expect(loadConnector('xlsx')).rejects.toThrow(/connector kind "xlsx" is not known; known kinds: csv/);
  });
});
