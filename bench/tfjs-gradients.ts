/**
 * Registers TensorFlow.js's own gradient definitions with tfjs-core.
 *
 * tfjs-core's CommonJS entry (dist/tf-core.node.js) has no gradients: the @tensorflow/tfjs bundle
 * adds them by importing '@tensorflow/tfjs-core/dist/register_all_gradients', and that module and
 * the gradient files it imports ship only as ES modules with extensionless import paths, which
 * Node cannot load as they are. For the duration of that one import, this module converts the
 * files of tfjs-core's dist folder to CommonJS with the TypeScript compiler's transpileModule.
 *
 * The converted modules share tfjs's global engine, kernel and gradient registries and tensor
 * class with the CommonJS entry (tfjs keeps them on the global object so that several copies of
 * tfjs-core can coexist), so tf.grad and optimizer.minimize then run tfjs's own gradient code.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

let registered = false;

/** A CommonJS module as Node's loader sees it (only what is needed here). */
interface LoadingModule {
  _compile(code: string, filename: string): void;
}

export function registerTfjsGradients(): void {
  if (registered) return;
  registered = true;
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist') + path.sep;
  const loadJs = require.extensions['.js']!;
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, sourceMap: false };
  require.extensions['.js'] = (module, filename) => {
    // The prebuilt bundles (tf-core.*.js) are left to Node; every other file in dist/ is an ES module.
    if (!filename.startsWith(dist) || path.basename(filename).startsWith('tf-core')) return loadJs(module, filename);
    // The inline source maps are often longer than the code; dropping them halves the work.
    const source = fs.readFileSync(filename, 'utf8').replace(/\n\/\/# sourceMappingURL=data:[^\n]*/, '\n');
    const { outputText } = ts.transpileModule(source, { fileName: filename, compilerOptions: options });
    (module as unknown as LoadingModule)._compile(outputText, filename);
  };
  try {
    require('@tensorflow/tfjs-core/dist/register_all_gradients');
  } finally {
    require.extensions['.js'] = loadJs;
  }
}
