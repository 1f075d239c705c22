import { build } from "esbuild";

/**
 * The board page's script and the SDK stand-in are TypeScript; browsers get them as one plain
 * JavaScript file each, bundled by esbuild (installed with tsx) the first time they are asked for.
 */
const bundles = new Map<string, Promise<string>>();

export function bundleBrowserScript(entryPoint: string): Promise<string> {
  let bundle = bundles.get(entryPoint);
  if (!bundle) {
    bundle = build({
      entryPoints: [entryPoint],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2020",
      charset: "utf8",
      legalComments: "none",
      logLevel: "silent",
    }).then((result) => {
      const output = result.outputFiles[0];
      if (!output) throw new Error(`esbuild produced nothing for ${entryPoint}`);
      return output.text;
    });
    bundle.catch(() => bundles.delete(entryPoint));
    bundles.set(entryPoint, bundle);
  }
  return bundle;
}
