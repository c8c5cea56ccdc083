import type { IDataObject } from 'n8n-workflow';

import * as untyped from '../../sandbox/index';

/** The sandbox (../../sandbox/index.js, plain JS) as the test suites see it. */

export interface SandboxRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body, exactly as received. */
	body: string;
	/** The body parsed as JSON, when it was JSON. */
	json?: IDataObject;
}

export interface SandboxOrder {
	order_id: string;
	subscription_id: string;
	quantity: number;
	product_type: string;
	customer?: string;
}

export interface SandboxExchange {
	order_id: string;
	previous_count: number;
	new_count: number;
	requested_count: number;
	overlapping_ips: number;
}

export type ListShape = 'object' | 'list' | 'empty';

/** Every shape the sandbox can answer the order list in. */
export const LIST_SHAPES = untyped.LIST_SHAPES as ListShape[];

export interface Sandbox {
	url: string;
	port: number;
	keys: { full: string; noOrder: string };
	/** Every request to the API paths, in arrival order. */
	readonly requests: SandboxRequest[];
	/** Only the Create Order requests. */
	readonly orderRequests: SandboxRequest[];
	/** Every order sold (billed), including those whose answer a fault lost. */
	readonly orders: SandboxOrder[];
	/** Every exchange made, including those whose answer a fault lost. */
	readonly exchanges: Array<SandboxExchange & { at: string }>;
	/** Only the Exchange Proxies requests. */
	readonly exchangeRequests: SandboxRequest[];
	/** Answers the `nth` exchange request from now, and the `times - 1` after it, with `fault`. */
	setExchangeFault(fault: string, options?: { nth?: number; times?: number }): void;
	/** Whether the organization has the proxy_exchange feature (on by default). */
	setExchangeFeature(enabled: boolean): void;
	/** The next exchanges give fewer IPs than requested, or keep some of the old ones. */
	setExchangeQuality(options: { partial?: boolean; overlappingIps?: number }): void;
	/** Answers the `nth` Create Order request from now, and the `times - 1` after it, with `fault`. */
	setFault(
		fault: string | null,
		options?: { nth?: number; times?: number; location?: string },
	): void;
	/**
	 * Answers every GET /api/v2/order/list (the credential test) with `fault` until reset,
	 * whatever the key; `null` clears it. A redirect points to `location` if given.
	 */
	setListFault(fault: string | null, options?: { location?: string }): void;
	/**
	 * What GET /api/v2/order/list answers a good key until reset: `object` (the default,
	 * {"response": "success", "orders": [...]}), `list` ([order, ...]) or `empty` ([]).
	 */
	setListShape(shape: ListShape): void;
	reset(): void;
	close(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
	return (await untyped.startSandbox()) as unknown as Sandbox;
}

/** The product types the sandbox sells. */
export const SANDBOX_PRODUCT_TYPES: readonly string[] = untyped.PRODUCT_TYPES;

/**
 * One sandbox for a test file: started before its tests, emptied before each test, closed
 * after them all. Returns the sandbox at once; it is usable from `beforeAll` on.
 */
export function useSandbox(): Sandbox {
	const sandbox = {} as Sandbox;
	beforeAll(async () => {
		// The sandbox's getters and methods close over its own state, so they can be copied.
		Object.defineProperties(sandbox, Object.getOwnPropertyDescriptors(await startSandbox()));
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => {
		sandbox.reset();
	});
	return sandbox;
}
