// Plain JS (n8n's lint keeps node:http out of .ts files): answers the sandbox does not make.
import * as untyped from './rawServer';

export interface RawServer {
	url: string;
	requests: { headers: Record<string, string> }[];
	answer(answer: { status: number; headers: Record<string, string>; body: string }): void;
	reset(): void;
	close(): Promise<void>;
}

/** One raw server for a test file, emptied before each test, like useSandbox(). */
export function useRawServer(): RawServer {
	const raw = {} as RawServer;
	beforeAll(async () => {
		Object.defineProperties(raw, Object.getOwnPropertyDescriptors(await untyped.startRawServer()));
	});
	afterAll(async () => {
		await raw.close();
	});
	beforeEach(() => {
		raw.reset();
	});
	return raw;
}
