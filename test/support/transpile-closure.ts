import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The repository root; the build keeps the layout of the sources under it. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Transpiles the TypeScript `entries` and every relative module they import (statically or with `import()`,
 * not in comments) into `outDir`, keeping the layout under the repository root, and marks `outDir` as ES
 * modules. For child processes, which cannot load TypeScript. Returns the file URL of each entry's build.
 */
export function transpileClosure(entries: readonly string[], outDir: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: file }).outputText;
    const out = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
    const code = src.split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n'); // not the examples in comments
    for (const m of code.matchAll(/(?:from |import\()'(\.\.?\/[^']+)\.js'/g)) visit(resolve(dirname(file), `${m[1]}.ts`));
  };
  for (const e of entries) visit(e);
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  return entries.map((e) => pathToFileURL(join(outDir, relative(ROOT, e)).replace(/\.ts$/, '.js')).href);
}
