import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { conversationFromDianjinDialogues, conversationFromIceCallLog, type Conversation } from '../../nodes/shared/conversation';
import { type Emulator, FIXTURES, type RecordedRequest } from '../emulator';
import { runNode } from '../helpers/engine';
import { type EmulatorContext, useEmulatorContext } from '../helpers/emulatorSuite';

export { jsonOf, pairedIndexes, SECRETS } from '../helpers/emulatorSuite';
export type CcaiContext = EmulatorContext;
export const useEmulator = useEmulatorContext;


export const NODE_TYPE = 'alibabaCcaiAnalyze';
export const CCAI = FIXTURES.ccai;
export const ACTION = 'AnalyzeConversation';

/** The parameters every run needs; tests add what they are about. */
export function params(extra: IDataObject = {}): IDataObject {
	return { operation: 'analyzeConversation', workspaceId: CCAI.workspaceId, appId: CCAI.appId, ...extra };
}

/**
 * Runs the node. Tests of the analysis itself run version 1, whose output item is the analysis
 * alone and which fails on an empty conversation; tests of how 1.1 places the result pass
 * `typeVersion: 1.1` (keepsTheCall.test.ts).
 */
export async function analyze(
	context: CcaiContext,
	parameters: IDataObject,
	input: IDataObject[],
	options: {
		continueOnFail?: boolean;
		streaming?: boolean;
		credentials?: Record<string, ICredentialDataDecryptedObject>;
		typeVersion?: number;
	} = {},
) {
	return await runNode(NODE_TYPE, params(parameters), {
		input,
		credentials: options.credentials ?? context.credentials,
		continueOnFail: options.continueOnFail,
		streaming: options.streaming,
		typeVersion: options.typeVersion ?? 1,
	});
}

export function analyzeRequests(emulator: Emulator): RecordedRequest[] {
	return emulator.requests.filter((request) => request.action === ACTION);
}

export function bodies(emulator: Emulator): IDataObject[] {
	return analyzeRequests(emulator).map((request) => request.json as IDataObject);
}


/** A call log as the ICE Archive node maps it (the shared Conversation shape). */
export function iceConversation(sessionId = 'ice-session-1'): Conversation {
	return conversationFromIceCallLog(
		{
			instanceid: sessionId,
			startTime: 1755138072.5,
			dialog: [
				{ id: 2, begin: 3.2, role: 'user', type: 'text', text: '我要投诉，你们的快递三天都没到。' },
				{ id: 1, begin: 0.4, role: 'agent', type: 'text', text: '您好，这里是客服中心，请问有什么可以帮您？' },
				{ id: 3, begin: 7.9, role: 'agent', type: 'text', text: '非常抱歉，我马上为您查询物流，请留下手机号。' },
				{ id: 4, begin: 12.1, role: 'user', type: 'text', text: '13812345678' },
			],
		},
		sessionId,
	);
}

/** A DianJin dialogue as the Dialog Detail node maps it. */
export function dianjinConversation(): Conversation {
	return conversationFromDianjinDialogues(
		[
			{ id: 1, role: '1', customerServiceType: '0', content: '您好，请问需要办理什么业务？' },
			{ id: 2, role: '0', content: '请问怎么申请新卡' },
			{ id: 3, role: '1', customerServiceType: '1', content: '您可以在App的卡片页面申请。' },
		],
		'1906623923815534001',
		'2025-08-14 10:00:00',
	);
}

export function errorText(error: unknown): string {
	if (!error) return '';
	const extra = error as Error & { description?: unknown; context?: unknown };
	return [extra.message, String(extra.description ?? ''), JSON.stringify(extra.context ?? {})].join('\n');
}
