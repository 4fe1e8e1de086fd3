import { ApiError, missingParameter } from './errors';
import type { Exchange } from './exchange';
import { FIXTURES } from './fixture-ids';
import type { KnownKey } from './keys';
import type { ServiceContext } from './service-context';
import { isCallLogPath, serveCallLog } from './services/call-logs';
import { analyzeConversation } from './services/ccai';
import { applyForStreamAccessToken, chatStream } from './services/chatbot';
import { getDialogAnalysisResult, getDialogDetail, serveAnalysisObject } from './services/dianjin';
import { describeAIAgentInstance, listAIAgentDialogues, listAIAgentInstance } from './services/ice';
import { getCallerIdentity } from './services/sts';
import { ecsMetadata } from './services/ecs-metadata';
import { assumeRoleV2, assumeRoleV3 } from './services/sts-assume-role';
import { isV2Rpc } from './signature-v2';

export type Product = 'ice' | 'chatbot' | 'sts' | 'ccai' | 'dianjin' | 'oss' | 'alime' | 'ecsMetadata';

type SignedHandler = (ex: Exchange, ctx: ServiceContext, caller: KnownKey, params: string[]) => void | Promise<void>;
type UnsignedHandler = (ex: Exchange, ctx: ServiceContext) => void | Promise<void>;

export type Route =
	| { signed: true; product: Product; action: string; version: string; handler: SignedHandler; params: string[] }
	| { signed: false; product: Product; action?: string; handler: UnsignedHandler };

const RPC_ACTIONS: Record<string, { product: Product; version: string; handler: SignedHandler }> = {
	DescribeAIAgentInstance: { product: 'ice', version: FIXTURES.ice.version, handler: (ex, ctx) => describeAIAgentInstance(ex, ctx) },
	ListAIAgentInstance: { product: 'ice', version: FIXTURES.ice.version, handler: (ex, ctx) => listAIAgentInstance(ex, ctx) },
	ListAIAgentDialogues: { product: 'ice', version: FIXTURES.ice.version, handler: (ex, ctx) => listAIAgentDialogues(ex, ctx) },
	ApplyForStreamAccessToken: {
		product: 'chatbot',
		version: FIXTURES.chatbot.version,
		handler: (ex, ctx) => applyForStreamAccessToken(ex, ctx),
	},
	GetCallerIdentity: { product: 'sts', version: FIXTURES.sts.version, handler: (ex, _ctx, caller) => getCallerIdentity(ex, caller) },
	AssumeRole: { product: 'sts', version: FIXTURES.sts.version, handler: (ex, ctx, caller) => assumeRoleV3(ex, ctx, caller) },
};

interface RoaRoute {
	method: string;
	pattern: RegExp;
	action: string;
	product: Product;
	version: string;
	handler: SignedHandler;
}

const ROA_ROUTES: RoaRoute[] = [
	{
		method: 'POST',
		pattern: /^\/([^/]+)\/ccai\/app\/([^/]+)\/analyze_conversation$/,
		action: 'AnalyzeConversation',
		product: 'ccai',
		version: FIXTURES.ccai.version,
		handler: (ex, ctx, _caller, [workspaceId, appId]) => analyzeConversation(ex, ctx, workspaceId, appId),
	},
	{
		method: 'GET',
		pattern: /^\/([^/]+)\/api\/virtualHuman\/dialog\/detail$/,
		action: 'GetDialogDetail',
		product: 'dianjin',
		version: FIXTURES.dianjin.version,
		handler: (ex, ctx, _caller, [workspaceId]) => getDialogDetail(ex, ctx, workspaceId),
	},
	{
		method: 'POST',
		pattern: /^\/([^/]+)\/api\/virtualHuman\/dialog\/analysis$/,
		action: 'GetDialogAnalysisResult',
		product: 'dianjin',
		version: FIXTURES.dianjin.version,
		handler: (ex, ctx, _caller, [workspaceId]) => getDialogAnalysisResult(ex, ctx, workspaceId),
	},
];

const apiNotFound = () => new ApiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** Finds the route and names the request's action; throws the gateway's error for unknown APIs. */
export function resolveRoute(ex: Exchange): Route {
	const path = ex.rawPath;
	if (path.startsWith('/sse/paas4Json/')) {
		ex.setAction('TongyiBeebotChat');
		return { signed: false, product: 'alime', action: 'TongyiBeebotChat', handler: chatStream };
	}
	if (isCallLogPath(path)) return { signed: false, product: 'oss', handler: serveCallLog };
	if (path.startsWith('/dianjin/analysis/')) return { signed: false, product: 'oss', handler: serveAnalysisObject };
	if (path.startsWith('/latest/')) return { signed: false, product: 'ecsMetadata', handler: ecsMetadata };
	if (isV2Rpc(ex) && ex.query.Action === 'AssumeRole') {
		// @alicloud/credentials signs AssumeRole the old way; the handler verifies that signature itself.
		ex.setAction('AssumeRole');
		return { signed: false, product: 'sts', action: 'AssumeRole', handler: assumeRoleV2 };
	}

	const headerAction = ex.header('x-acs-action');
	if (path === '/') {
		if (!headerAction && ex.query.Action !== undefined) {
			// Real Alibaba still takes V2 (Action + Signature in the query); the emulator only models V3.
			throw new ApiError(400, 'InvalidAuthorization', 'This emulator verifies ACS3-HMAC-SHA256 (V3) only: send x-acs-action and an Authorization header.');
		}
		if (!headerAction) throw missingParameter('Action');
		ex.setAction(headerAction);
		const rpc = RPC_ACTIONS[headerAction];
		if (!rpc || (ex.method !== 'POST' && ex.method !== 'GET')) throw apiNotFound();
		return { signed: true, action: headerAction, params: [], ...rpc };
	}
	for (const roa of ROA_ROUTES) {
		const match = roa.pattern.exec(path);
		if (!match || roa.method !== ex.method) continue;
		ex.setAction(roa.action);
		return { signed: true, ...roa, params: match.slice(1).map(decodeSegment) };
	}
	if (headerAction) ex.setAction(headerAction);
	throw apiNotFound();
}

export function checkVersion(ex: Exchange, version: string): void {
	const sent = ex.header('x-acs-version');
	if (!sent) throw missingParameter('Version');
	if (sent !== version) throw new ApiError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
}
