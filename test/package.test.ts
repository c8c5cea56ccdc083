import { PackageDirectoryLoader } from 'n8n-core';
import type { ICredentialType, INodeType, Themed } from 'n8n-workflow';

import { StatProxiesApi } from '../credentials/StatProxiesApi.credentials';
import { ExchangeProxies } from '../nodes/ExchangeProxies/ExchangeProxies.node';
import { OrderProxies } from '../nodes/OrderProxies/OrderProxies.node';
import { isPackageFile, PACKAGE_ROOT } from './harness/packageFiles';

// n8n loads dist/, not the sources: `npm test` runs after `npm run build` in CI.
const BUILT_FILES = [
	'dist/nodes/OrderProxies/OrderProxies.node.js',
	'dist/nodes/OrderProxies/OrderProxies.node.json',
	'dist/nodes/ExchangeProxies/ExchangeProxies.node.js',
	'dist/nodes/ExchangeProxies/ExchangeProxies.node.json',
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

function builtNode(name: 'orderProxies' | 'exchangeProxies' = 'orderProxies'): INodeType {
	return loader.nodeTypes[name].type as INodeType;
}

const NODES = ['orderProxies', 'exchangeProxies'] as const;

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
	test('finds exactly the Order Proxies and Exchange Proxies nodes and the StatProxies API credential, linked to each other', () => {
		expect(loader.packageName).toBe('n8n-nodes-statproxies');
		expect(Object.keys(loader.nodeTypes)).toEqual([...NODES]);
		expect(Object.keys(loader.credentialTypes)).toEqual(['statProxiesApi']);
		expect(loader.known.credentials.statProxiesApi.supportedNodes).toEqual([...NODES]);
		for (const name of NODES) {
			expect(builtNode(name).description.credentials).toEqual([
				{ name: 'statProxiesApi', required: true },
			]);
		}
	});

	test.each([
		['orderProxies', ['StatProxies', 'proxy', 'buy proxies']],
		['exchangeProxies', ['StatProxies', 'exchange', 'rotate']],
	] as const)(
		'%s carries its codex: categories, search aliases and documentation',
		(name, aliases) => {
			const { codex } = builtNode(name).description;
			expect(codex?.categories).toEqual(expect.arrayContaining(['Development', 'Utility']));
			expect(codex?.alias).toEqual(expect.arrayContaining([...aliases]));
			expect(codex?.resources?.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
			expect(codex?.resources?.credentialDocumentation?.[0]?.url).toMatch(/^https:\/\//);
		},
	);

	test.each(NODES.flatMap((name) => (['light', 'dark'] as const).map((theme) => [name, theme])))(
		'the %s icon (%s) resolves to an SVG file in the package',
		(name, theme) => {
			const file = iconFile(
				builtNode(name as (typeof NODES)[number]).description.iconUrl,
				theme as 'light',
			);
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

		const exchange = new ExchangeProxies().description;
		expect(asData(builtNode('exchangeProxies').description.properties)).toEqual(
			asData(exchange.properties),
		);
		expect(builtNode('exchangeProxies').description.usableAsTool).toBe(true);
		expect(builtNode('exchangeProxies').description.description).toContain('never call again');

		const credential = new StatProxiesApi();
		expect(asData(builtCredential().properties)).toEqual(asData(credential.properties));
		expect(asData(builtCredential().authenticate)).toEqual(asData(credential.authenticate));
		expect(asData(builtCredential().test)).toEqual(asData(credential.test));
	});
});
