/**
 * The layer rule: every import in nodes/ and credentials/ is checked against the allow-list of
 * the layer the importing file is in (the layers and their lists are in lint/eslint.config.mjs;
 * why they are what they are is ARCHITECTURE.md, "Layers"). Anything not on the list is refused.
 *
 * Checked: `import` (values and types), `export … from`, `import x = require()`, `require()`,
 * dynamic `import()` and type-position `import('…')`. A relative specifier is resolved against
 * the importing file and named by the layer it lands in; a bare one is a package (or Node's
 * module) and must be on the layer's package list. A specifier the rule cannot read (computed
 * `require(name)`, `import(name)`) is refused, as is a file in no layer.
 *
 * Every message starts with the refused specifier (or name) in single quotes and has no other
 * quoted word, so that an entry of KNOWN_EXCEPTIONS can name it.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';

const SOURCE_EXTENSIONS = /\.(ts|js|mjs|cjs)$/;

/** Root-relative, forward slashes, no source extension: nodes/SalesforceAdmin/transport/http */
function normalise(root, absolute) {
	return path.relative(root, absolute).split(path.sep).join('/').replace(SOURCE_EXTENSIONS, '');
}

/** The layer a root-relative path (file or import target) is in, and its module inside it. */
function locate(layers, relative) {
	let best;
	for (const [name, layer] of Object.entries(layers)) {
		const prefix = `${layer.dir}/`;
		if (relative !== layer.dir && !relative.startsWith(prefix)) continue;
		const module = relative === layer.dir ? '' : relative.slice(prefix.length);
		if (layer.topLevelOnly && module.includes('/')) continue;
		if (!best || layer.dir.length > best.layer.dir.length) best = { name, layer, module };
	}
	return best && { name: best.name, module: best.module };
}

function listAllowed(name, layer, layers) {
	const entries = (layer.layers ?? []).map((target) => {
		if (target === name) return `${layers[target].label} itself`;
		if (layers[target]) {
			return layers[target].entry === 'index'
				? `${layers[target].label} (through its index)`
				: layers[target].label;
		}
		return `${target} (an entry point)`;
	});
	entries.push(...(layer.packages ?? []));
	entries.push(...(layer.typePackages ?? []).map((pkg) => `${pkg} (types only)`));
	return entries.join(', ');
}

function isTypeOnly(node) {
	switch (node.type) {
		case 'ImportDeclaration':
			return (
				node.importKind === 'type' ||
				(node.specifiers.length > 0 &&
					node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type'))
			);
		case 'ExportNamedDeclaration':
			return (
				node.exportKind === 'type' ||
				(node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === 'type'))
			);
		case 'ExportAllDeclaration':
		case 'TSImportEqualsDeclaration':
			return (node.exportKind ?? node.importKind) === 'type';
		case 'TSImportType':
			return true;
		default:
			return false;
	}
}

/** The names a static import or re-export takes from its module; undefined for "all of it". */
function importedNames(node) {
	if (node.type === 'ImportDeclaration') {
		if (node.specifiers.some((s) => s.type !== 'ImportSpecifier')) return undefined;
		return node.specifiers
			.filter((s) => s.importKind !== 'type')
			.map((s) => s.imported.name ?? s.imported.value);
	}
	if (node.type === 'ExportNamedDeclaration') {
		return node.specifiers
			.filter((s) => s.exportKind !== 'type')
			.map((s) => s.local.name ?? s.local.value);
	}
	return undefined;
}

export const layerImports = {
	meta: {
		type: 'problem',
		docs: {
			description: "Each layer imports only what its allow-list names (ARCHITECTURE.md, 'Layers')",
		},
		schema: false,
		messages: {
			noLayer:
				"'{{file}}' is in no layer: nodes/ and credentials/ hold only {{layers}}. Put the file in one of them (ARCHITECTURE.md, Layers).",
			unreadable:
				"'{{kind}}' with a computed specifier: the layer rules cannot check it. Import a literal path.",
			outside:
				"'{{spec}}' is outside the layers ({{target}}): {{layer}} may import only {{allowed}}.",
			builtin: "'{{spec}}' is a Node module: {{layer}} may import only {{allowed}}. {{why}}",
			package:
				"'{{spec}}' is not on the package allow-list ({{packages}}); {{layer}} may import only {{allowed}}.",
			layerPackage: "'{{spec}}' is not for {{layer}}: it may import only {{allowed}}. {{why}}",
			typesOnly:
				"'{{spec}}' gives {{layer}} types only (import type): it may import only {{allowed}}. {{why}}",
			layer: "'{{spec}}' is {{target}}: {{layer}} may import only {{allowed}}. {{why}}",
			internals:
				"'{{spec}}' reaches into the internals of {{target}}: import {{target}} through its index. {{layer}} may import only {{allowed}}.",
			wholeModule:
				"'{{spec}}' imported as a whole: {{layer}} must name what it takes from {{target}}, so that the names kept for other layers stay out ({{names}}).",
			name: "'{{name}}' from {{target}} is not for {{layer}}: {{why}}",
		},
	},
	create(context) {
		const { root, layers, packageAllowList, forbiddenNames = {} } = context.options[0];
		const file = normalise(root, context.physicalFilename ?? context.filename);
		const here = locate(layers, file);
		if (!here) {
			return {
				Program(node) {
					const names = Object.values(layers).map((l) => l.label);
					context.report({ node, messageId: 'noLayer', data: { file, layers: names.join(', ') } });
				},
			};
		}
		const layer = layers[here.name];
		const label = layer.label;
		const allowed = listAllowed(here.name, layer, layers);
		const why = layer.why ?? '';
		const allowedLayers = new Set(layer.layers ?? []);

		function check(node, sourceNode, kind) {
			if (!sourceNode || sourceNode.type !== 'Literal' || typeof sourceNode.value !== 'string') {
				context.report({ node, messageId: 'unreadable', data: { kind } });
				return;
			}
			const spec = sourceNode.value;
			const typeOnly = isTypeOnly(node);
			const report = (messageId, data = {}) =>
				context.report({ node, messageId, data: { spec, layer: label, allowed, why, ...data } });

			if (!spec.startsWith('.') && !path.isAbsolute(spec)) {
				if ((layer.packages ?? []).includes(spec)) return;
				if ((layer.typePackages ?? []).includes(spec)) {
					if (!typeOnly) report('typesOnly');
					return;
				}
				if (packageAllowList.includes(spec)) return report('layerPackage');
				if (isBuiltin(spec)) return report('builtin');
				return report('package', { packages: packageAllowList.join(', ') });
			}

			const target = path.isAbsolute(spec)
				? normalise(root, spec)
				: normalise(root, path.resolve(path.dirname(path.join(root, file)), spec));
			const there = locate(layers, target);
			if (!there) return report('outside', { target });
			if (there.name === here.name) return;
			const targetLayer = layers[there.name];
			const entryPoint = `${there.name}/${there.module}`;
			const isIndex = there.module === '' || there.module === 'index';
			if (allowedLayers.has(entryPoint)) return;
			if (!allowedLayers.has(there.name)) return report('layer', { target: targetLayer.label });
			if (targetLayer.entry === 'index' && !isIndex)
				return report('internals', { target: targetLayer.label });

			const kept = forbiddenNames[here.name]?.[there.name];
			if (!kept || typeOnly) return;
			const names = importedNames(node);
			if (names === undefined) {
				report('wholeModule', { target: targetLayer.label, names: kept.names.join(', ') });
				return;
			}
			for (const name of names.filter((n) => kept.names.includes(n)))
				context.report({
					node,
					messageId: 'name',
					data: { name, target: targetLayer.label, layer: label, why: kept.why },
				});
		}

		return {
			ImportDeclaration: (node) => check(node, node.source, 'import'),
			ExportNamedDeclaration: (node) => node.source && check(node, node.source, 'export from'),
			ExportAllDeclaration: (node) => check(node, node.source, 'export from'),
			ImportExpression: (node) => check(node, node.source, 'import()'),
			TSImportType: (node) => check(node, node.source ?? node.argument?.literal, 'import type'),
			TSImportEqualsDeclaration: (node) =>
				node.moduleReference.type === 'TSExternalModuleReference' &&
				check(node, node.moduleReference.expression, 'import = require()'),
			CallExpression(node) {
				if (node.callee.type === 'Identifier' && node.callee.name === 'require')
					check(node, node.arguments[0], 'require()');
			},
		};
	},
};
