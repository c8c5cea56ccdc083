import { PackageDirectoryLoader } from 'n8n-core';
import type { ICredentialType, INodeType, Themed } from 'n8n-workflow';

import { StatProxiesApi } from '../credentials/StatProxiesApi.credentials';
import { OrderProxies } from '../nodes/OrderProxies/OrderProxies.node';
import { isPackageFile, PACKAGE_ROOT } from './harness/packageFiles';

// n8n loads dist/, not the sources: `npm test` runs after `npm run build` in CI.
const BUILT_FILES = [
	'dist/nodes/OrderProxies/OrderProxies.node.js',
	'dist/nodes/OrderProxies/OrderProxies.node.json',
	'dist/credentials/StatProxiesApi.credentials.js',
];
const ICON_PREFIX = 'icons/n8n-nodes-statproxies/';

let loader: PackageDirectoryLoader;
beforeAll(async () => {
	const missing = BUILT_FILES.filter((file) => !isPackageFile(file));
	if (missing.length > 0) {
		throw new Error(
			`The built package is missing ${missing.join(', ')}: run \`npm run build\` before \`npm test\`.`,
		);
	}
	loader = new PackageDirectoryLoader(PACKAGE_ROOT);
	await loader.loadAll();
});

function builtNode(): INodeType {
	return loader.nodeTypes.orderProxies.type as INodeType;
}

function builtCredential(): ICredentialType {
	return loader.credentialTypes.statProxiesApi.type;
}

/** The package file behind an icon URL as n8n serves it: icons/<package>/<path in the package>. */
function iconFile(iconUrl: Themed<string> | undefined, theme: 'light' | 'dark'): string {
	expect(iconUrl).toEqual({ light: expect.any(String), dark: expect.any(String) });
	const url = (iconUrl as { light: string; dark: string })[theme];
	expect(url.startsWith(ICON_PREFIX)).toBe(true);
	return url.slice(ICON_PREFIX.length);
}

/** Plain data, as n8n sends descriptions to its editor. */
function asData(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value));
}

describe('n8n loads the built package the way it loads any community package', () => {
	test('finds exactly the Order Proxies node and the StatProxies API credential, linked to each other', () => {
		expect(loader.packageName).toBe('n8n-nodes-statproxies');
		expect(Object.keys(loader.nodeTypes)).toEqual(['orderProxies']);
		expect(Object.keys(loader.credentialTypes)).toEqual(['statProxiesApi']);
		expect(loader.known.credentials.statProxiesApi.supportedNodes).toEqual(['orderProxies']);
		expect(builtNode().description.credentials).toEqual([
			{ name: 'statProxiesApi', required: true },
		]);
	});

	test('the node carries its codex: categories, search aliases and documentation', () => {
		const { codex } = builtNode().description;
		expect(codex?.categories).toEqual(expect.arrayContaining(['Development', 'Utility']));
		expect(codex?.alias).toEqual(expect.arrayContaining(['StatProxies', 'proxy', 'buy proxies']));
		expect(codex?.resources?.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
		expect(codex?.resources?.credentialDocumentation?.[0]?.url).toMatch(/^https:\/\//);
	});

	test.each(['light', 'dark'] as const)(
		'the node icon (%s) resolves to an SVG file in the package',
		(theme) => {
			const file = iconFile(builtNode().description.iconUrl, theme);
			expect(file).toMatch(/\.svg$/);
			expect(isPackageFile(file)).toBe(true);
		},
	);

	test.each(['light', 'dark'] as const)(
		'the credential icon (%s) resolves to an SVG file in the package',
		(theme) => {
			const file = iconFile(builtCredential().iconUrl, theme);
			expect(file).toMatch(/\.svg$/);
			expect(isPackageFile(file)).toBe(true);
		},
	);

	test('the light and dark icons are different files', () => {
		const { iconUrl } = builtNode().description;
		expect(iconFile(iconUrl, 'light')).not.toBe(iconFile(iconUrl, 'dark'));
	});

	test('dist/ is the build of these sources (if not, run `npm run build`)', () => {
		const source = new OrderProxies().description;
		const built = builtNode().description;
		expect(asData(built.properties)).toEqual(asData(source.properties));
		expect(built.version).toEqual(source.version);
		expect(built.usableAsTool).toBe(true);
		expect(built.description).toContain('never call again');

		const credential = new StatProxiesApi();
		expect(asData(builtCredential().properties)).toEqual(asData(credential.properties));
		expect(asData(builtCredential().authenticate)).toEqual(asData(credential.authenticate));
		expect(asData(builtCredential().test)).toEqual(asData(credential.test));
	});
});
