import type { IDataObject } from 'n8n-workflow';

import { identifyInstance, instanceIdFromCallLogUrl } from '../../nodes/AlibabaIceArchive/helpers/instance';
import { conversationFromIceCallLog } from '../../nodes/shared/conversation';
import type { ApiVariants } from '../emulator';
import { md5Hex } from '../emulator/deterministic';
import { generatedInstanceId } from '../emulator/services/ice-data';
import { ICE, runArchive, useEmulator } from '../iceArchive/setup';

type Layout = ApiVariants['iceCallLogLayout'];
const LAYOUTS: Layout[] = ['calllogs', 'sdk', 'folder', 'opaque'];
const SESSION: Array<ApiVariants['iceSessionId']> = ['set', 'empty'];

/** The default agent's instances, newest first, and the SessionId the emulator keeps for each. */
const IDS = Array.from({ length: ICE.defaultInstancesPerAgent }, (_, i) => generatedInstanceId(ICE.agentId, i)).reverse();
const sessionOf = (instanceId: string) => md5Hex(`${instanceId}:session`);
const LIMIT = 4;

interface Shape {
	layout: Layout;
	logHasId: boolean;
	listItemIds: boolean;
	session: ApiVariants['iceSessionId'];
}

const SHAPES: Shape[] = LAYOUTS.flatMap((layout) =>
	[true, false].flatMap((logHasId) =>
		[false, true].flatMap((listItemIds) => SESSION.map((session) => ({ layout, logHasId, listItemIds, session }))),
	),
);

/** What the node should say for a list item, given what this shape of the API reveals. */
function expectedIdentity(shape: Shape, id: string, withLog: boolean) {
	if (shape.listItemIds) return { instanceId: id, instanceIdSource: 'instance' };
	if (withLog && shape.logHasId) return { instanceId: id, instanceIdSource: 'callLog' };
	if (shape.layout !== 'opaque') return { instanceId: id, instanceIdSource: 'callLogUrl' };
	return { instanceId: null, instanceIdSource: null };
}

describe('Fidelity: ICE instance and session ids under every CallLogUrl layout', () => {
	const ctx = useEmulator();

	const setShape = (shape: Shape) =>
		ctx.emu.setVariants({
			iceCallLogLayout: shape.layout,
			iceCallLogHasInstanceId: shape.logHasId,
			iceListItemIds: shape.listItemIds,
			iceSessionId: shape.session,
		});

	it.each(SHAPES)(
		'List Instances, layout $layout, log id $logHasId, list ids $listItemIds, SessionId $session',
		async (shape) => {
			setShape(shape);
			const plain = await runArchive(ctx.emu, { operation: 'listInstances', aiAgentId: ICE.agentId, limit: LIMIT });
			const withLog = await runArchive(ctx.emu, {
				operation: 'listInstances',
				aiAgentId: ICE.agentId,
				limit: LIMIT,
				options: { includeCallLog: true },
			});

			expect(plain.error).toBeUndefined();
			expect(withLog.error).toBeUndefined();
			IDS.slice(0, LIMIT).forEach((id, index) => {
				expect(plain.json[index]).toMatchObject(expectedIdentity(shape, id, false));
				const row = withLog.json[index];
				expect(row).toMatchObject(expectedIdentity(shape, id, true));
				const conversation = row.conversation as IDataObject;
				expect((conversation.sentences as unknown[]).length).toBeGreaterThan(0);
				// Only a SessionId the API gave becomes the conversation's sessionId; never the instance id.
				const session = shape.listItemIds && shape.session === 'set' ? sessionOf(id) : undefined;
				if (session) expect(conversation.sessionId).toBe(session);
				else expect(conversation).not.toHaveProperty('sessionId');
				expect(conversation.sessionId).not.toBe(id);
				if (row.instanceId) expect(conversation.instanceId).toBe(id);
				else expect(conversation).not.toHaveProperty('instanceId');
			});
		},
	);

	it.each(
		LAYOUTS.flatMap((layout) => SESSION.flatMap((session) => [true, false].map((logHasId) => ({ layout, session, logHasId })))),
	)('Get Call Log and Get Instance, layout $layout, log id $logHasId, SessionId $session', async (shape) => {
		setShape({ ...shape, listItemIds: false });
		const id = IDS[0];
		const log = await runArchive(ctx.emu, { operation: 'getCallLog', instanceId: id });
		const instance = await runArchive(ctx.emu, { operation: 'getInstance', instanceId: id });

		expect(log.error).toBeUndefined();
		expect(log.json[0]).toMatchObject({ instanceId: id, instanceIdSource: 'describe' });
		const conversation = log.json[0].conversation as IDataObject;
		expect(conversation.instanceId).toBe(id);
		if (shape.session === 'set') expect(conversation.sessionId).toBe(sessionOf(id));
		else expect(conversation).not.toHaveProperty('sessionId');
		expect(instance.json[0]).toMatchObject({ instanceId: id, instanceIdSource: 'describe' });
	});

	it('the conversation a log yields gives CCAI the SessionId, not the instance id', async () => {
		setShape({ layout: 'opaque', logHasId: true, listItemIds: false, session: 'set' });
		const ccaiInput = await runArchive(ctx.emu, { operation: 'getCallLog', instanceId: ICE.seedInstanceId });
		expect((ccaiInput.json[0].conversation as IDataObject).sessionId).toBe(ICE.sessionId);
		expect(ICE.sessionId).not.toBe(ICE.seedInstanceId);
	});
});

describe('instanceIdFromCallLogUrl: only known layouts name an instance', () => {
	const hex = '39f8e0bc005e4f309379701645f41234';
	it.each([
		['https://example.com/call_logs/12345.json', '12345'],
		['https://example.com/call_logs/12345', '12345'],
		[`https://bucket.oss-cn-shanghai.aliyuncs.com/calllogs/${hex}.json?Expires=1&Signature=x`, hex],
		[`https://bucket.oss-cn-shanghai.aliyuncs.com/ai-agent/${hex}/calllog.json?Expires=1`, hex],
		[`https://bucket.oss-cn-shanghai.aliyuncs.com/a/b/${hex}/call_log.json`, hex],
		[`https://bucket.oss-cn-shanghai.aliyuncs.com/ai-agent/logs/${hex}.json`, null],
		[`https://bucket.oss-cn-shanghai.aliyuncs.com/${hex}.json`, null],
		['https://bucket.oss-cn-shanghai.aliyuncs.com/calllogs/', null],
		['https://example.com/call_logs/a%2Fb.json', null],
		['not a url', null],
		['', null],
		[42, null],
	])('%p → %p', (url, expected) => {
		expect(instanceIdFromCallLogUrl(url)).toBe(expected);
	});

	it('trusts the API field, then the described id, then the log, then the URL', () => {
		const instance = { CallLogUrl: 'https://example.com/call_logs/from-url.json' };
		const callLog = { instanceid: 'from-log', dialog: [] };
		expect(identifyInstance({ instance: { ...instance, InstanceId: 'from-api' }, describedId: 'asked', callLog })).toEqual({
			instanceId: 'from-api',
			instanceIdSource: 'instance',
		});
		expect(identifyInstance({ instance, describedId: 'asked', callLog })).toEqual({ instanceId: 'asked', instanceIdSource: 'describe' });
		expect(identifyInstance({ instance, callLog })).toEqual({ instanceId: 'from-log', instanceIdSource: 'callLog' });
		expect(identifyInstance({ instance, callLog: { instanceid: '  ' } })).toEqual({ instanceId: 'from-url', instanceIdSource: 'callLogUrl' });
		expect(identifyInstance({ instance: { CallLogUrl: 'https://example.com/x/y.json' } })).toEqual({ instanceId: null, instanceIdSource: null });
	});

	it('a call log alone never makes the instance id a session id', () => {
		const conversation = conversationFromIceCallLog({ instanceid: 'inst-1', dialog: [{ role: 'user', text: 'hi' }] });
		expect(conversation).not.toHaveProperty('sessionId');
		expect(conversation.instanceId).toBe('inst-1');
	});
});
