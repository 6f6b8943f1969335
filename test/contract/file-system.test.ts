import { pathToFileURL } from 'node:url';
import { LocalFileSystem } from '../../src/storage/local-file-system.js';
import { tmpDir } from '../support/tmp-dir.js';
import { fileSystemContract } from './file-system.contract.js';

fileSystemContract('LocalFileSystem (plain paths)', async () => {
  const { dir, cleanup } = await tmpDir('sluice-fs-');
  return { fs: new LocalFileSystem(), root: dir, cleanup };
});

fileSystemContract('LocalFileSystem (file:// URLs)', async () => {
  const { dir, cleanup } = await tmpDir('sluice-fs-url-');
  return { fs: new LocalFileSystem(), root: pathToFileURL(dir).href, cleanup };
});
