import { createHash } from 'node:crypto';

import OpenApiUtil from '@alicloud/openapi-util';
import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { encodePath, percentEncode, signAcs3 } from '../../credentials/common/acs3Signature';

/**
 * The package's signer against the official SDK (`@alicloud/openapi-util` getAuthorization) on
 * random requests. Query keys are ASCII letters and digits: the SDK does not percent-encode keys
 * while the doc (and this package) does, so other keys would compare two different specs.
 */

type SdkRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

const ALGORITHM = 'ACS3-HMAC-SHA256';
const authenticate = new AlibabaCloudAccessKeyApi().authenticate as (
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

function sdkAuthorization(
	request: { method: string; pathname: string; query: Record<string, string>; headers: Record<string, string> },
	payloadHash: string,
	accessKeyId: string,
	secret: string,
): string {
	return OpenApiUtil.getAuthorization(request as unknown as SdkRequest, ALGORITHM, payloadHash, accessKeyId, secret);
}

/** The doc's canonical query, written independently of the package: RFC 3986 (`!'()*` escaped too), sorted keys. */
function independentCanonicalQuery(query: Record<string, string>): string {
	const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return Object.keys(query)
		.sort()
		.map((k) => `${encode(k)}=${encode(query[k])}`)
		.join('&');
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

// ---- arbitraries ---------------------------------------------------------------------------

const awkward = fc.constantFrom(
	'*', '~', '!', "'", '(', ')', '+', ' ', '&', '=', '/', '%', '%20', '#', '?', ';', ':', '@', ',', '[', ']',
	'😀', '👩‍👩‍👧', '中文', 'é', '\u00a0', '\u2028', '"', '\\',
);
const unicodeText = fc
	.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 5 }), awkward), { maxLength: 6 })
	.map((parts) => parts.join(''));
const queryKey = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);
const queryMap = fc.dictionary(queryKey, unicodeText, { maxKeys: 6 });
const segment = fc
	.array(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5 }), awkward), { minLength: 1, maxLength: 4 })
	.map((parts) => parts.join(''))
	// `.` and `..` are path navigation to every URL parser, not names (the client refuses them).
	.filter((s) => s !== '.' && s !== '..');
const segments = fc.array(segment, { maxLength: 4 });
const method = fc.constantFrom<IHttpRequestMethods>('GET', 'POST', 'PUT', 'DELETE', 'PATCH');

/** Names the credential owns (it drops caller copies) are left out so the comparison stays about extras. */
const OWNED = new Set(['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-security-token', 'x-acs-accesskey-id']);
const randomCase = (name: string) =>
	fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((flags) =>
		[...name].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(''),
	);
const extraHeaders = fc
	.array(
		fc.tuple(
			fc.stringMatching(/^x-acs-[a-z0-9-]{1,10}$/).filter((n) => !OWNED.has(n)).chain(randomCase),
			fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,14}[\x21-\x7e])?$/),
		),
		{ maxLength: 4 },
	)
	.map((pairs) => Object.fromEntries(pairs) as Record<string, string>);
const jsonBody = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const body = fc.option(fc.oneof(jsonBody, unicodeText.filter((s) => s.length > 0)), { nil: undefined });
const credentials = fc.record({
	accessKeyId: fc.stringMatching(/^[A-Za-z0-9.]{4,24}$/),
	accessKeySecret: fc.stringMatching(/^[A-Za-z0-9]{8,32}$/),
	securityToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{16,64}$/), { nil: undefined }),
});

// ---------------------------------------------------------------------------------------------

describe('ACS3 signature: property tests against @alicloud/openapi-util', () => {
	it('signAcs3 equals the SDK for random methods, unicode paths, queries and x-acs-* headers', () => {
		fc.assert(
			fc.property(
				method,
				segments,
				queryMap,
				extraHeaders,
				fc.option(fc.constantFrom('application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain'), { nil: undefined }),
				fc.stringMatching(/^[0-9a-f]{64}$/),
				credentials,
				(verb, path, query, extra, contentType, payloadHash, keys) => {
					const headers: Record<string, string> = {
						host: 'ice.cn-shanghai.aliyuncs.com',
						'x-acs-action': 'DescribeAIAgentInstance',
						'x-acs-version': '2020-11-09',
						'x-acs-date': '2025-01-01T00:00:00Z',
						'x-acs-signature-nonce': 'nonce',
						'x-acs-content-sha256': payloadHash,
						...(keys.securityToken ? { 'x-acs-security-token': keys.securityToken } : {}),
						...(contentType ? { 'content-type': contentType } : {}),
						...extra,
					};
					const pathname = encodePath(path);
					const ours = signAcs3({ method: verb, pathname, query, headers, payloadHash }, keys.accessKeyId, keys.accessKeySecret);
					const sdk = sdkAuthorization({ method: verb, pathname, query, headers }, payloadHash, keys.accessKeyId, keys.accessKeySecret);
					expect(ours.authorization).toBe(sdk);
				},
			),
			{ numRuns: 400 },
		);
	});

	it('authenticate() signs exactly what it sends: SDK-equal signature, body hash and canonical URL', async () => {
		await fc.assert(
			fc.asyncProperty(
				method,
				segments,
				queryMap,
				queryMap,
				extraHeaders,
				body,
				credentials,
				fc.constantFrom('absolute', 'baseURL'),
				async (verb, path, urlQuery, qs, extra, payload, keys, urlStyle) => {
					const pathname = encodePath(path);
					// Part of the query travels in the URL (already encoded), part in `qs`; `qs` wins on a clash.
					const search = Object.entries(urlQuery)
						.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
						.join('&');
					const origin = 'https://dianjin.cn-beijing.aliyuncs.com';
					const location = `${pathname}${search ? `?${search}` : ''}`;
					const options: IHttpRequestOptions = {
						method: verb,
						...(urlStyle === 'absolute' ? { url: `${origin}${location}` } : { baseURL: `${origin}/`, url: location }),
						qs,
						headers: { ...extra, 'x-acs-action': 'GetDialogDetail', 'x-acs-version': '2024-06-28', accept: 'application/json' },
						body: payload as IDataObject | string | undefined,
						json: true,
					};
					const input = JSON.parse(JSON.stringify(options)) as IHttpRequestOptions;
					const signed = await authenticate(
						{ ...keys, securityToken: keys.securityToken ?? '' },
						options,
					);
					// The caller's options are not mutated (n8n reuses them on retries).
					expect(JSON.parse(JSON.stringify(options))).toEqual(input);

					const headers = signed.headers as Record<string, string>;
					const sentBody = typeof signed.body === 'string' ? signed.body : '';
					expect(signed.body === undefined || typeof signed.body === 'string').toBe(true);
					expect(headers['x-acs-content-sha256']).toBe(sha256(sentBody));
					expect(headers['x-acs-date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
					expect(headers['x-acs-signature-nonce']).toMatch(/^[0-9a-f]{32}$/);
					expect(headers['x-acs-security-token']).toBe(keys.securityToken);

					const expectedQuery = { ...urlQuery, ...qs };
					const url = new URL(signed.url);
					expect(signed.baseURL).toBeUndefined();
					expect(signed.qs).toBeUndefined();
					expect(url.origin).toBe(origin);
					expect(url.pathname).toBe(pathname);
					expect(headers.host).toBe(url.host);
					expect(url.search.replace(/^\?/, '')).toBe(independentCanonicalQuery(expectedQuery));
					expect(Object.fromEntries(url.searchParams)).toEqual(expectedQuery);

					const { authorization, ...unsigned } = headers;
					const sdk = sdkAuthorization(
						{ method: verb, pathname: url.pathname, query: expectedQuery, headers: unsigned },
						headers['x-acs-content-sha256'],
						keys.accessKeyId,
						keys.accessKeySecret,
					);
					expect(authorization).toBe(sdk);
				},
			),
			{ numRuns: 300 },
		);
	});
});
