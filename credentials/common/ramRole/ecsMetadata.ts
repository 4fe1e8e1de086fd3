import type { IHttpRequestHelper, IHttpRequestMethods } from 'n8n-workflow';

import { sessionFromKey } from './assumeRole';
import { networkReason } from './networkReason';
import type { RoleSettings } from './roleSettings';
import type { TemporarySession } from './session';

type Helpers = IHttpRequestHelper['helpers'];
type EcsSettings = Extract<RoleSettings, { source: 'ecsInstance' }>;

/** The longest IMDSv2 token ECS issues; it is used for two reads and then forgotten. */
export const METADATA_TOKEN_TTL_SECONDS = 21600;
/** The metadata server answers in milliseconds on ECS; anywhere else the address does not answer at all. */
const METADATA_TIMEOUT_MS = 3000;
const CREDENTIALS_PATH = '/latest/meta-data/ram/security-credentials/';

interface FullResponse {
	statusCode: number;
	body: unknown;
}

function unreachable(base: string, reason: string): Error {
	return new Error(
		`The ECS metadata server at ${base} did not answer (${reason}): this n8n is not running on an Alibaba Cloud ECS instance, or the instance has no RAM role attached. ` +
			'On ECS, attach a RAM role to the instance (ECS console > Instance > Attach/Detach RAM Role); elsewhere, use the AccessKey source of this credential.',
	);
}

async function call(
	helpers: Helpers,
	base: string,
	method: IHttpRequestMethods,
	path: string,
	headers: Record<string, string>,
): Promise<FullResponse> {
	const answer = await helpers
		.httpRequest({
			method,
			url: `${base}${path}`,
			headers,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: METADATA_TIMEOUT_MS,
			json: false,
		})
		.then(
			(response) => response as FullResponse,
			(error: unknown) => unreachable(base, networkReason(error)),
		);
	if (answer instanceof Error) throw answer;
	return answer;
}

function asText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body ?? '');
}

/**
 * IMDSv2 as ECS documents it: a PUT for a session token, then every read with that token.
 * Hardened instances refuse reads without it, so the token is always fetched first.
 */
export async function ecsInstanceSession(
	helpers: Helpers,
	settings: EcsSettings,
	fingerprint: string,
	now: () => number = Date.now,
): Promise<TemporarySession> {
	const base = settings.metadataBaseUrl;
	const tokenResponse = await call(helpers, base, 'PUT', '/latest/api/token', {
		'x-aliyun-ecs-metadata-token-ttl-seconds': String(METADATA_TOKEN_TTL_SECONDS),
	});
	const token = asText(tokenResponse.body).trim();
	if (tokenResponse.statusCode !== 200 || !token) {
		throw new Error(
			`The ECS metadata server at ${base} refused an IMDSv2 token (HTTP ${tokenResponse.statusCode}). Check the Metadata Base URL; on ECS it is http://100.100.100.200.`,
		);
	}
	const withToken = { 'x-aliyun-ecs-metadata-token': token };

	let roleName = settings.roleName;
	if (!roleName) {
		const list = await call(helpers, base, 'GET', CREDENTIALS_PATH, withToken);
		roleName = list.statusCode === 200 ? (asText(list.body).trim().split(/\s+/)[0] ?? '') : '';
		if (!roleName) {
			throw new Error(
				`This ECS instance has no RAM role attached (the metadata server at ${base} lists none, HTTP ${list.statusCode}). Attach one in the ECS console (Instance > Attach/Detach RAM Role).`,
			);
		}
	}
	const answer = await call(helpers, base, 'GET', `${CREDENTIALS_PATH}${encodeURIComponent(roleName)}`, withToken);
	if (answer.statusCode === 404) {
		throw new Error(
			`This ECS instance has no RAM role named "${roleName}". Leave the role name empty to use the role attached to the instance, or attach this role in the ECS console.`,
		);
	}
	let body: Record<string, unknown> = {};
	try {
		body = JSON.parse(asText(answer.body)) as Record<string, unknown>;
	} catch {
		// Handled below: a body without keys is an error either way.
	}
	if (answer.statusCode !== 200 || body.Code !== 'Success') {
		throw new Error(
			`The ECS metadata server did not hand out the keys of role "${roleName}" (HTTP ${answer.statusCode}, Code ${String(body.Code ?? 'none')}).`,
		);
	}
	return sessionFromKey(body, fingerprint, `ecs-instance-role/${roleName}`, now(), `The ECS metadata server (role "${roleName}")`);
}
