#!/usr/bin/env node
/*
 * Builds dist/ as n8n verifies community packages: no runtime dependencies. Every node and
 * credential listed in package.json's `n8n` section becomes one CommonJS bundle (Node 20) with
 * jsforce, luxon and fflate inside; n8n-workflow stays external (n8n provides it, it is our
 * peer dependency). Types are checked first with tsc (esbuild only strips them). gulp then copies
 * the icons and the node's codex next to the bundles (`npm run build` runs both).
 *
 * Usage: node scripts/build.js [--no-typecheck] [--metafile]
 */
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const pkg = require(path.join(ROOT, 'package.json'));

/**
 * Packages n8n itself provides at run time. Everything else is bundled. `encoding` is an
 * optional require of node-fetch (inside jsforce) wrapped in try/catch: leaving it out keeps
 * the bundle free of it and the try/catch takes the fallback, as without the package.
 */
const EXTERNAL = ['n8n-workflow', 'encoding'];

/**
 * fflate's Node build loads its workers through Node's `module`, which n8n's scanner refuses; the
 * browser build is the same code without it (only the synchronous Gunzip is used).
 */
const ALIAS = { fflate: 'fflate/browser' };

/** The one bundle every node file hands its class over from. */
const SHARED_BUNDLE = 'dist/nodes/SalesforceAdmin/nodes.bundle.js';

/** dist/x/Y.js (as listed in package.json) -> x/Y.ts */
function sourceOf(distFile) {
	const relative = path.relative('dist', distFile).replace(/\.js$/, '.ts');
	const source = path.join(ROOT, relative);
	if (!fs.existsSync(source))
		throw new Error(`${distFile} is listed in package.json but ${relative} does not exist`);
	return source;
}

function typecheck() {
	const tsc = require.resolve('typescript/bin/tsc');
	const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noEmit'], {
		cwd: ROOT,
		stdio: 'inherit',
	});
	if (res.status !== 0) process.exit(res.status ?? 1);
}

async function main() {
	const args = new Set(process.argv.slice(2));
	if (!args.has('--no-typecheck')) typecheck();
	fs.rmSync(DIST, { recursive: true, force: true });

	const nodes = pkg.n8n.nodes || [];
	const credentials = pkg.n8n.credentials || [];
	const common = {
		absWorkingDir: ROOT,
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		external: EXTERNAL,
		alias: ALIAS,
		minify: true,
		// class names stay readable in n8n's errors and stack traces
		keepNames: true,
		legalComments: 'linked',
		sourcemap: false,
		metafile: args.has('--metafile'),
		logLevel: 'warning',
	};
	const metafiles = [];

	// Credentials are small (no jsforce): one bundle each.
	const entryPoints = Object.fromEntries(
		credentials.map((file) => [path.relative('dist', file).replace(/\.js$/, ''), sourceOf(file)]),
	);
	metafiles.push((await esbuild.build({ ...common, entryPoints, outdir: DIST })).metafile);

	// The nodes share almost all their code (transport, jsforce, luxon): one bundle with every node
	// class, and each listed node file a one-line module handing its class over (n8n loads the class
	// named like the file), instead of a 1.5 MB copy per node.
	if (nodes.length) {
		const contents = nodes
			.map(
				(file) =>
					`export { ${nodeClassName(file)} } from ${JSON.stringify(`./${path.relative(ROOT, sourceOf(file)).replace(/\.ts$/, '')}`)};`,
			)
			.join('\n');
		const outfile = path.join(ROOT, SHARED_BUNDLE);
		metafiles.push(
			(
				await esbuild.build({
					...common,
					stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'nodes.ts' },
					outfile,
				})
			).metafile,
		);
		for (const file of nodes) {
			const target = path.join(ROOT, file);
			const shared = `./${path.relative(path.dirname(target), outfile).split(path.sep).join('/')}`;
			const cls = nodeClassName(file);
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.writeFileSync(
				target,
				`'use strict';\nmodule.exports = { ${cls}: require(${JSON.stringify(shared)}).${cls} };\n`,
			);
		}
	}
	if (args.has('--metafile'))
		fs.writeFileSync(path.join(ROOT, 'bundle-meta.json'), JSON.stringify(metafiles));

	for (const file of [...nodes, SHARED_BUNDLE, ...credentials]) {
		const size = fs.statSync(path.join(ROOT, file)).size;
		console.log(`${file}  ${(size / 1024).toFixed(0)} KB`);
	}
}

/** dist/nodes/X/SalesforceAdminTrigger.node.js -> SalesforceAdminTrigger (n8n's naming rule). */
function nodeClassName(file) {
	return path.basename(file).replace(/\.node\.js$/, '');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
