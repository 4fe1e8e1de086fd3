import type { IDataObject } from 'n8n-workflow';

import type { AlibabaClient } from '../../shared/transport';

export const DIANJIN_VERSION = '2024-06-28';

/** DianJin's limits on GetDialogAnalysisResult, per call. */
export const INLINE_SESSION_LIMIT = 10;
export const URL_SESSION_LIMIT = 1000;

export interface DialogDetail {
	totalDialogTurns?: number;
	validDialogTurns?: number;
	status?: string;
	gmtCreate?: string;
	dialogueList?: IDataObject[];
}

export interface DialogAnalysisEntry {
	sessionId?: string;
	gmtCreate?: string;
	/** init | pending | running | error | success */
	status?: string;
	/** Signed OSS link, valid for one hour; only when `useUrl` was true. */
	ossUrl?: string | null;
	analysisResp?: IDataObject | null;
}

export interface DialogAnalysisQuery extends IDataObject {
	sessionIds?: string[];
	/** `yyyy-MM-dd HH:mm:ss`, Beijing time. */
	startTime?: string;
	endTime?: string;
	useUrl: boolean;
	asc: boolean;
}

interface Envelope<T> {
	data?: T | null;
}

function missingData(client: AlibabaClient, action: string, what: string): never {
	return client.fail({
		code: 'EmptyAnswer',
		message: `DianJin reported success but sent no ${what}. Run the node again; if it persists, check the session in the DianJin console.`,
		operation: client.operationName('dianjin', action),
	});
}

/** GET /{workspaceId}/api/virtualHuman/dialog/detail?sessionId= */
export async function getDialogDetail(
	client: AlibabaClient,
	workspaceId: string,
	sessionId: string,
): Promise<DialogDetail> {
	const answer = await client.roa<Envelope<DialogDetail>>({
		service: 'dianjin',
		action: 'GetDialogDetail',
		version: DIANJIN_VERSION,
		method: 'GET',
		path: [workspaceId, 'api', 'virtualHuman', 'dialog', 'detail'],
		query: { sessionId },
	});
	if (!answer?.data || typeof answer.data !== 'object') return missingData(client, 'GetDialogDetail', 'dialog data');
	return answer.data;
}

/** POST /{workspaceId}/api/virtualHuman/dialog/analysis */
export async function getDialogAnalysisResult(
	client: AlibabaClient,
	workspaceId: string,
	query: DialogAnalysisQuery,
): Promise<DialogAnalysisEntry[]> {
	const answer = await client.roa<Envelope<{ dialogAnalysisRespList?: DialogAnalysisEntry[] | null }>>({
		service: 'dianjin',
		action: 'GetDialogAnalysisResult',
		version: DIANJIN_VERSION,
		method: 'POST',
		path: [workspaceId, 'api', 'virtualHuman', 'dialog', 'analysis'],
		body: query,
	});
	if (!answer?.data || typeof answer.data !== 'object') {
		return missingData(client, 'GetDialogAnalysisResult', 'analysis list');
	}
	const list = answer.data.dialogAnalysisRespList;
	return Array.isArray(list) ? list : [];
}

/**
 * Adds which session and workspace a failure concerns: DianJin's own messages do not always
 * say, and with many items in flight the error must point at the right one.
 */
export function aboutSession(error: unknown, subject: string): Error {
	const failure = error instanceof Error ? error : new Error(String(error));
	if (!failure.message.includes(subject)) failure.message = `${failure.message} [${subject}]`;
	return failure;
}
