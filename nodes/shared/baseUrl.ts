import { z } from 'zod';

import { checkWith, type Checked, type Rule } from './rules';

/**
 * The key travels encrypted only; plain http to loopback alone (a local sandbox). No user-info
 * part, so "https://a@b" cannot smuggle a host. One regular expression, because the credential
 * (an n8n expression, which cannot import code) applies the very same rule.
 */
export const SAFE_BASE_URL =
	/^(https:\/\/[^/?#@\s]+|http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?)(\/[^?#\s]*)?$/i;

const RULES = {
	baseUrlMissing: {
		field: 'baseUrl',
		says: "The credential's Base URL must be a full URL starting with https:// (received {value})",
		fix: 'Open the StatProxies API credential and set Base URL to https://dashboard.statproxies.com (or your company gateway over https).',
	},
	baseUrlUserInfo: {
		field: 'baseUrl',
		says: "The credential's Base URL must not contain a user name or password: the API key is the only credential StatProxies needs (received {value})",
		fix: 'Open the StatProxies API credential and remove the user:password@ part of Base URL.',
	},
	baseUrlPlainHttp: {
		field: 'baseUrl',
		says: "The credential's Base URL must use https:// so that the API key is never sent unencrypted (plain http is only allowed to localhost, 127.x.x.x or [::1]) (received {value})",
		fix: 'Open the StatProxies API credential and set Base URL to https://dashboard.statproxies.com, your company gateway over https, or a local sandbox such as http://127.0.0.1:4010.',
	},
	baseUrlInvalid: {
		field: 'baseUrl',
		says: "The credential's Base URL is not a valid URL: check the host name, and the port (1 to 65535) (received {value})",
		fix: 'Open the StatProxies API credential and correct Base URL, for example https://dashboard.statproxies.com.',
	},
} as const satisfies Record<string, Rule<'baseUrl'>>;

function isParsableUrl(url: string): boolean {
	try {
		return new URL(url).hostname !== '';
	} catch {
		return false;
	}
}

const baseUrlRule = z.object({
	baseUrl: z
		.string({ message: 'baseUrlMissing' })
		.trim()
		.regex(/^https?:\/\/\S/i, { message: 'baseUrlMissing' })
		.regex(/^[a-z]+:\/\/[^/?#@]*(?:[/?#]|$)/i, { message: 'baseUrlUserInfo' })
		.regex(SAFE_BASE_URL, { message: 'baseUrlPlainHttp' })
		.refine(isParsableUrl, { message: 'baseUrlInvalid' })
		.transform((url) => url.replace(/\/+$/, '')),
});

/**
 * The credential's base URL: checked once per run, since every item shares it. `hide` hides
 * the API key in the refused value the message quotes (a key pasted into the URL).
 */
export function checkBaseUrl(
	baseUrl: unknown,
	hide?: (text: string) => string,
): Checked<string, 'baseUrl'> {
	const checked = checkWith(baseUrlRule, RULES, { baseUrl }, hide);
	return checked.ok ? { ok: true, value: checked.value.baseUrl } : checked;
}
