/**
 * The matrix's columns: each node (or operation) run in n8n's engine with three input items,
 * whose requests each carry a marker of their own so a fault can hit the middle one alone.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { type Emulator, FIXTURES, type FaultMatch } from '../../emulator';
import { runNode } from '../../helpers/engine';
import { pairedIndexes } from '../../helpers/emulatorSuite';
import { PollHarness } from '../../helpers/poll';
import type { Delivery, Stage } from './faults';

/** Settings a cell gives the node: small, so time-bound faults stay fast. */
export interface CellSettings {
	timeoutS: number;
	deadlineS: number;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The stage the fault was aimed at (a column may switch an option on for it, e.g. CCAI Stream). */
	stage: Stage;
}

export interface OutputRow {
	json: IDataObject;
	/** The input item it came from (-1: a trigger's output has no input). */
	paired: number;
}

export interface Outcome {
	rows: OutputRow[];
	/** What stopped the whole run (a failing poll; a node error despite continue-on-fail). */
	runError?: Error & { description?: string | null };
	/** Everything n8n keeps of the run: IRun with its run data, or the trigger's saved static data. */
	everything: unknown;
	tookMs: number;
	/** Runs again with the fault gone (a poll after a failed poll): what was not lost comes now. */
	again?: () => Promise<OutputRow[]>;
}

export interface StageCall {
	/** How the failing call is named in the error. */
	operation: (marker: string) => RegExp;
	/** `item`: only the middle item's call meets the fault; `all`: a call every item shares. */
	scope: 'item' | 'all';
	match: (marker: string) => FaultMatch;
	delivery: Delivery;
	/** Attempts the transport allows this call (retries + 1) under the delivery's policy. */
	attempts: number;
}

export interface Column {
	id: string;
	label: string;
	/** Recorded action of the billed call, when the column has one. */
	billedAction?: string;
	markers: readonly [string, string, string];
	stages: Partial<Record<Stage, StageCall>>;
	/** Attempts a refused billed call may take (the column's retry policy), when it has a billed call. */
	refusedAttempts?: number;
	/** A stage to use for a row instead of the row's first choice. */
	prefer?: Record<string, Stage>;
	/** Every row is n/a, for this reason (a node that makes no outgoing call). */
	noCalls?: string;
	/** Rows this column does not meet, with the reason. */
	notApplicable?: Record<string, string>;
	/** The error an output row carries, as the user reads it; undefined when the row succeeded. */
	rowError: (json: IDataObject) => string | undefined;
	/** A successful row holds what the node is for. */
	rowOk: (json: IDataObject) => boolean;
	/** Waits the column adds by design for some faults (Get Call Log's wait for a late log). */
	columnWaitMs?: number;
	run: (emulator: Emulator, settings: CellSettings) => Promise<Outcome>;
}

/** Retries of reads (DEFAULT_RETRY_POLICY) and of the chatbot's token request (CHAT_RETRY). */
const READ_ATTEMPTS = 5;
const CHAT_ATTEMPTS = 3;

const ICE = FIXTURES.ice;
const DIANJIN = FIXTURES.dianjin;

const itemError = (json: IDataObject) =>
	json.error === undefined ? undefined : `${String(json.error)}\n${String(json.errorDescription ?? '')}`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A signed call the middle item makes alone, found by its action and the item's marker in the request. */
function itemCall(product: string, action: string, delivery: Delivery, marker: (m: string) => string = (m) => m): StageCall {
	return {
		operation: () => new RegExp(`Alibaba Cloud ${product} ${action}`),
		scope: 'item',
		match: (m) => ({ action, requestIncludes: marker(m) }),
		delivery,
		attempts: delivery === 'billed' ? 1 : READ_ATTEMPTS,
	};
}

/** A call every item shares (one list, one token): a fault there fails them all. */
function sharedCall(product: string, action: string, attempts: number): StageCall {
	return {
		operation: () => new RegExp(`Alibaba Cloud ${product} ${action}`),
		scope: 'all',
		match: () => ({ action }),
		delivery: 'read',
		attempts,
	};
}

/** A credential fault meets the first signed call, whichever it is, and fails every item. */
function credentialCall(product: string, action: string): StageCall {
	return { operation: () => new RegExp(`Alibaba Cloud ${product} ${action}`), scope: 'all', match: () => ({}), delivery: 'read', attempts: 1 };
}

/** A file the middle item downloads (an unsigned GET, never retried). */
function fileCall(what: (m: string) => string, path: (m: string) => string): StageCall {
	return {
		operation: (m) => new RegExp(escape(what(m)), 'i'),
		scope: 'item',
		match: (m) => ({ pathIncludes: path(m) }),
		delivery: 'read',
		attempts: 1,
	};
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; tookMs: number }> {
	const started = Date.now();
	const value = await work();
	return { value, tookMs: Date.now() - started };
}

async function runItems(
	type: string,
	parameters: IDataObject,
	input: IDataObject[],
	settings: CellSettings,
	typeVersion?: number,
): Promise<Outcome> {
	const { value: result, tookMs } = await timed(
		async () =>
			await runNode(type, parameters, { input, credentials: settings.credentials, continueOnFail: true, typeVersion }),
	);
	const items: INodeExecutionData[] = result.items;
	const paired = pairedIndexes(items);
	return {
		rows: items.map((item, index) => ({ json: item.json, paired: paired[index] })),
		runError: result.error('Node'),
		everything: result.run,
		tookMs,
	};
}

const archiveGetCallLog: Column = {
	id: 'archive-log',
	label: 'ICE Archive · Get Call Log',
	markers: ICE.finishedInstanceIds,
	stages: {
		api: itemCall('ICE', 'DescribeAIAgentInstance', 'read'),
		signed: itemCall('ICE', 'DescribeAIAgentInstance', 'read'),
		file: fileCall((id) => `the call log of instance ${id}`, (id) => `/calllogs/${id}.json`),
		credential: credentialCall('ICE', 'DescribeAIAgentInstance'),
	},
	rowError: itemError,
	rowOk: (json) => typeof json.conversation === 'object' && json.conversation !== null,
	columnWaitMs: 1000,
	run: async (_emu, settings) =>
		await runItems(
			'alibabaIceArchive',
			{
				operation: 'getCallLog',
				instanceId: '={{ $json.id }}',
				options: {
					timeout: settings.timeoutS,
					downloadDeadline: settings.deadlineS,
					// A 404 is what ICE answers while it still writes the log: Get Call Log waits for it, briefly here.
					waitForCallLogSeconds: 1,
					maxDownloadSizeMb: 1,
				},
			},
			ICE.finishedInstanceIds.map((id) => ({ id })),
			settings,
		),
};

/** Each item lists the session from its own start second, so its StartTime marks its request. */
const dialogueStarts = [0, 1, 2].map((i) => new Date(ICE.sessionStartTime - (i + 1) * 1000).toISOString());

const archiveListDialogues: Column = {
	id: 'archive-dialogues',
	label: 'ICE Archive · List Dialogues',
	markers: dialogueStarts as unknown as [string, string, string],
	stages: {
		api: itemCall('ICE', 'ListAIAgentDialogues', 'read', (start) => String(Date.parse(start))),
		signed: itemCall('ICE', 'ListAIAgentDialogues', 'read', (start) => String(Date.parse(start))),
		credential: credentialCall('ICE', 'ListAIAgentDialogues'),
	},
	notApplicable: {
		'slow-drip': 'API answer, not a download: no Download Deadline applies; a drip within Timeout is slow, not failed',
	},
	rowError: itemError,
	rowOk: (json) => Array.isArray(json.dialogues) && (json.dialogues as unknown[]).length > 0,
	run: async (_emu, settings) =>
		await runItems(
			'alibabaIceArchive',
			{
				operation: 'listDialogues',
				sessionId: ICE.sessionId,
				startTime: '={{ $json.start }}',
				endTime: new Date(ICE.sessionEndTime).toISOString(),
				returnAll: true,
				options: { timeout: settings.timeoutS },
			},
			dialogueStarts.map((start) => ({ start })),
			settings,
		),
};

/** One agent per item, each with one finished call, so the listing and the log of the middle item can be hit alone. */
const listAgents = ['fm-agent-0', 'fm-agent-1', 'fm-agent-2'] as const;
const listCallOf = (agent: string) => `${agent}-call`;

const archiveListInstances: Column = {
	id: 'archive-instances',
	label: 'ICE Archive · List Instances (Include Call Log)',
	markers: listAgents,
	stages: {
		api: itemCall('ICE', 'ListAIAgentInstance', 'read'),
		file: fileCall((agent) => `the call log of instance ${listCallOf(agent)}`, (agent) => `/calllogs/${listCallOf(agent)}.json`),
		credential: credentialCall('ICE', 'ListAIAgentInstance'),
	},
	rowError: (json) =>
		json.error !== undefined ? itemError(json) : json.callLogError !== undefined ? String(json.callLogError) : undefined,
	rowOk: (json) => typeof json.conversation === 'object' && json.conversation !== null,
	run: async (emulator, settings) => {
		const now = Date.now();
		for (const agent of listAgents) emulator.ice.addCalls(agent, [{ id: listCallOf(agent), createdAt: now - 10 * 60_000 }]);
		return await runItems(
			'alibabaIceArchive',
			{
				operation: 'listInstances',
				aiAgentId: '={{ $json.agent }}',
				returnAll: true,
				options: {
					includeCallLog: true,
					timeout: settings.timeoutS,
					downloadDeadline: settings.deadlineS,
					maxDownloadSizeMb: 1,
				},
			},
			listAgents.map((agent) => ({ agent })),
			settings,
		);
	},
};
archiveListInstances.stages.signed = archiveListInstances.stages.api;

const chatMarkers = ['chat-item-0', 'chat-item-1', 'chat-item-2'] as const;

const chatbot: Column = {
	id: 'chatbot',
	label: 'Chatbot Chat',
	billedAction: 'TongyiBeebotChat',
	refusedAttempts: CHAT_ATTEMPTS,
	// success:false reaches the chatbot as a stream event; its signed token call is shared by all items.
	prefer: { 'success-false': 'stream' },
	markers: chatMarkers,
	stages: {
		api: itemCall('Chatbot stream', 'TongyiBeebotChat', 'billed'),
		stream: itemCall('Chatbot stream', 'TongyiBeebotChat', 'billed'),
		signed: sharedCall('Chatbot', 'ApplyForStreamAccessToken', CHAT_ATTEMPTS),
		credential: credentialCall('Chatbot', 'ApplyForStreamAccessToken'),
	},
	notApplicable: {
		'slow-drip': 'event stream, not a download: each event resets Timeout and the answer ends when the bot is done',
	},
	rowError: itemError,
	rowOk: (json) => typeof json.answer === 'string' && json.answer.length > 0,
	run: async (_emu, settings) =>
		await runItems(
			'alibabaChatbotChat',
			{
				operation: 'sendMessage',
				instanceId: FIXTURES.chatbot.instanceId,
				utterance: '={{ $json.text }}',
				agentKey: FIXTURES.chatbot.agentKey,
				options: { timeout: settings.timeoutS },
			},
			chatMarkers.map((marker) => ({ text: `请问 ${marker}` })),
			settings,
		),
};

const ccaiMarkers = ['ccai-item-0', 'ccai-item-1', 'ccai-item-2'] as const;

const ccai: Column = {
	id: 'ccai',
	label: 'CCAI Analyze',
	billedAction: 'AnalyzeConversation',
	refusedAttempts: READ_ATTEMPTS,
	markers: ccaiMarkers,
	stages: {
		api: itemCall('ContactCenterAI', 'AnalyzeConversation', 'billed'),
		signed: itemCall('ContactCenterAI', 'AnalyzeConversation', 'billed'),
		stream: itemCall('ContactCenterAI', 'AnalyzeConversation', 'billed'),
	},
	notApplicable: {
		'slow-drip': 'API answer, not a download: no Download Deadline applies; a drip within Timeout is slow, not failed',
	},
	rowError: itemError,
	rowOk: (json) => typeof json.text === 'string' || typeof json.analysis === 'object',
	run: async (_emu, settings) =>
		await runItems(
			'alibabaCcaiAnalyze',
			{
				operation: 'analyzeConversation',
				workspaceId: FIXTURES.ccai.workspaceId,
				appId: FIXTURES.ccai.appId,
				options: { timeout: settings.timeoutS, ...(settings.stage === 'stream' ? { stream: true } : {}) },
			},
			ccaiMarkers.map((marker) => ({
				conversation: { sessionId: marker, sentences: [{ role: 'user', text: `我要投诉 ${marker}` }] },
			})),
			settings,
			1,
		),
};
ccai.stages.credential = { ...ccai.stages.api!, scope: 'all', match: () => ({}) };

const dianjinSessions = DIANJIN.sessionIds.slice(0, 3) as unknown as [string, string, string];

const dianjinGet: Column = {
	id: 'dianjin-get',
	label: 'Dialog Detail · Get',
	markers: dianjinSessions,
	stages: {
		api: itemCall('DianJin', 'GetDialogDetail', 'read'),
		credential: credentialCall('DianJin', 'GetDialogDetail'),
	},
	notApplicable: {
		'slow-drip': 'API answer, not a download: no Download Deadline applies; a drip within Timeout is slow, not failed',
	},
	rowError: itemError,
	rowOk: (json) => typeof json.conversation === 'object' && json.conversation !== null,
	run: async (_emu, settings) =>
		await runItems(
			'alibabaDialogDetail',
			{
				operation: 'get',
				workspaceId: DIANJIN.workspaceId,
				sessionId: '={{ $json.id }}',
				options: { timeout: settings.timeoutS },
			},
			dianjinSessions.map((id) => ({ id })),
			settings,
		),
};
dianjinGet.stages.signed = dianjinGet.stages.api;

const dianjinAnalysis: Column = {
	id: 'dianjin-analysis',
	label: 'Dialog Detail · Get Analysis Result',
	markers: dianjinSessions,
	stages: {
		api: itemCall('DianJin', 'GetDialogAnalysisResult', 'read'),
		file: fileCall((id) => `the analysis file of session ${id}`, (id) => `/dianjin/analysis/${id}.json`),
		credential: credentialCall('DianJin', 'GetDialogAnalysisResult'),
	},
	rowError: itemError,
	rowOk: (json) => typeof json.analysis === 'object' && json.analysis !== null,
	run: async (_emu, settings) =>
		await runItems(
			'alibabaDialogDetail',
			{
				operation: 'getAnalysisResult',
				workspaceId: DIANJIN.workspaceId,
				sessionIds: '={{ $json.id }}',
				returnAll: true,
				options: { timeout: settings.timeoutS, downloadDeadline: settings.deadlineS, maxDownloadSizeMb: 1 },
			},
			dianjinSessions.map((id) => ({ id })),
			settings,
		),
};
dianjinAnalysis.stages.signed = dianjinAnalysis.stages.api;

const TRIGGER_AGENT = 'agent-fault-matrix';
const MINUTE = 60_000;
/** Fixed ids, so a fault can be aimed at the middle call's log before the calls exist. */
const triggerCalls = ['fm-call-0', 'fm-call-1', 'fm-call-2'] as const;

const trigger: Column = {
	id: 'call-trigger',
	label: 'ICE Call Trigger (poll)',
	markers: triggerCalls,
	stages: {
		api: sharedCall('ICE', 'ListAIAgentInstance', READ_ATTEMPTS),
		signed: sharedCall('ICE', 'ListAIAgentInstance', READ_ATTEMPTS),
		file: fileCall((id) => `the call log of instance ${id}`, (id) => `/calllogs/${id}.json`),
		credential: credentialCall('ICE', 'ListAIAgentInstance'),
	},
	rowError: (json) => (json.callLogError === undefined ? undefined : String(json.callLogError)),
	rowOk: (json) => typeof json.conversation === 'object' && json.conversation !== null,
	run: async (emulator, settings) => {
		const now = Date.now();
		emulator.ice.addCalls(
			TRIGGER_AGENT,
			triggerCalls.map((id, i) => ({ id, createdAt: now - (30 - i * 10) * MINUTE })),
		);
		const harness = new PollHarness({
			type: 'alibabaIceCallTrigger',
			parameters: {
				aiAgentId: TRIGGER_AGENT,
				startFrom: new Date(now - 60 * MINUTE).toISOString(),
				// A failing log is output at once with callLogError, so the cell sees it in this poll.
				options: { logRetries: 0, maxDownloadSizeMb: 1, timeout: settings.timeoutS, downloadDeadline: settings.deadlineS },
			},
			credentials: settings.credentials,
		});
		const { value: result, tookMs } = await timed(async () => await harness.poll());
		return {
			rows: result.ok ? result.items.map((item) => ({ json: item.json, paired: -1 })) : [],
			runError: result.ok ? undefined : result.error,
			everything: { result, saved: harness.saved, live: harness.liveNodeData() },
			tookMs,
			again: async () => {
				const next = await harness.poll();
				if (!next.ok) throw next.error;
				return next.items.map((item) => ({ json: item.json, paired: -1 }));
			},
		};
	},
};

const agentTrigger: Column = {
	id: 'agent-trigger',
	label: 'ICE Agent Trigger (webhook)',
	noCalls:
		'receives ICE callbacks and sends no call of its own; its body, size and repeat faults are tested in test/iceAgentTrigger',
	markers: ['', '', ''],
	stages: {},
	rowError: () => undefined,
	rowOk: () => false,
	run: async () => {
		throw new Error('the ICE Agent Trigger makes no call a fault could hit');
	},
};

export const COLUMNS: readonly Column[] = [
	archiveGetCallLog,
	archiveListDialogues,
	archiveListInstances,
	chatbot,
	ccai,
	dianjinGet,
	dianjinAnalysis,
	trigger,
	agentTrigger,
];
