import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { type CallbackRequest, readCallbackBody } from './callbackBody';
import { CALLBACK_EVENTS } from './callbackEvents';
import { callbackItem } from './callbackItem';
import { authorizationMatches, tokenFormatProblem } from './callbackToken';
import { triggerClock } from './clock';
import { deliveryKey } from './deliveryKey';
import { isRepeat } from './repeatMemory';
import { optionProperties, readTriggerOptions, type TriggerOptions } from './triggerOptions';
import { multiOptionSubtitle } from '../shared/description/subtitle';

/** The parts of n8n's (express) response the trigger writes. */
interface CallbackResponse {
	status(code: number): CallbackResponse;
	json(body: IDataObject): unknown;
	setHeader(name: string, value: string): unknown;
}

export class AlibabaIceAgentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba ICE Agent Trigger',
		name: 'alibabaIceAgentTrigger',
		icon: { light: 'file:iceAgentTrigger.svg', dark: 'file:iceAgentTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: multiOptionSubtitle('events', CALLBACK_EVENTS, 'All Events'),
		description:
			'Starts the workflow when an Alibaba Cloud ICE AI agent posts a callback: chat records, sentence audio records, agent status',
		eventTriggerDescription: 'Waiting for a callback from the AI agent',
		defaults: { name: 'Alibaba ICE Agent Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'alibabaIceAgentCallbackApi',
				required: true,
				testedBy: 'iceAgentCallbackTokenFormat',
				displayOptions: { show: { authentication: ['callbackToken'] } },
			},
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'ice-agent' }],
		properties: [
			{
				displayName:
					'Enter the Production URL above as the callback URL in the agent\'s Callback Configurations (Alibaba Cloud console, AI agent → Manage), choose the event types there, and set the same token as in this node\'s credential',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				default: 'callbackToken',
				description:
					'How callbacks are authenticated. A token is recommended: without one, anyone who learns the URL can start the workflow.',
				options: [
					{
						name: 'Callback Token',
						value: 'callbackToken',
						description:
							'Accept only callbacks whose Authorization header holds the token, raw or as "Bearer &lt;token&gt;"; others get 401',
					},
					{
						name: 'None',
						value: 'none',
						description: 'Accept every callback. Only for trying things out.',
					},
				],
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: [],
				description:
					'Events that start the workflow. Others are acknowledged with 200 and start nothing. Leave empty to start on every event.',
				options: CALLBACK_EVENTS,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: optionProperties,
			},
		],
	};

	/**
	 * The callback URL is entered by hand in the Alibaba Cloud console; no API registers it. There
	 * is nothing remote to check, create or delete, so each step reports success and n8n's
	 * activation proceeds as for any manually configured webhook. The options are checked here,
	 * so a value that makes no sense fails the activation with a message naming the option.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				readTriggerOptions(this.getNode(), this.getNodeParameter('options', {}));
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	methods = {
		credentialTest: {
			/** Alibaba only sends the token, so the test can only check that it survives an HTTP header. */
			async iceAgentCallbackTokenFormat(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const token = credential.data?.token;
				const problem = tokenFormatProblem(typeof token === 'string' ? token : '');
				if (problem) return { status: 'Error', message: problem };
				return {
					status: 'OK',
					message: 'The token can be sent in an Authorization header. Enter the same token in the agent\'s callback configuration.',
				};
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as CallbackRequest;
		const res = this.getResponseObject() as CallbackResponse;
		// Every answer is written here, before the workflow starts, so a slow workflow never makes
		// the agent platform wait, time out and retry.
		const reply = (status: number, body: IDataObject): IWebhookResponseData => {
			res.status(status).json(body);
			return { noWebhookResponse: true };
		};

		if (this.getNodeParameter('authentication', 'callbackToken') === 'callbackToken') {
			const credentials = await this.getCredentials('alibabaIceAgentCallbackApi');
			const token = typeof credentials.token === 'string' ? credentials.token : '';
			if (!authorizationMatches(req.headers.authorization, token)) {
				this.logger.warn('Alibaba ICE Agent Trigger rejected a callback without the expected token (401)');
				res.setHeader('WWW-Authenticate', 'Bearer');
				return reply(401, {
					error: 'Missing or wrong token in the Authorization header. Send the token from the agent\'s callback configuration, raw or as "Bearer <token>".',
				});
			}
		}

		let options: TriggerOptions;
		try {
			options = readTriggerOptions(this.getNode(), this.getNodeParameter('options', {}));
		} catch (error) {
			// An option from an expression can fail only now. The sender learns nothing about the
			// configuration and may retry; the operator finds the option named in the log.
			this.logger.error(`Alibaba ICE Agent Trigger answered 500 and started nothing: ${(error as Error).message}`);
			return reply(500, {
				error: 'The trigger is misconfigured, so the workflow was not started. The n8n log names the option to fix.',
			});
		}

		const body = await readCallbackBody(req, options.maxBodyBytes);
		if (!body.ok) {
			this.logger.warn(`Alibaba ICE Agent Trigger rejected a callback (400): ${body.message}`);
			return reply(400, { error: body.message });
		}

		const event = String(body.payload.event);
		const events = this.getNodeParameter('events', []) as string[];
		if (events.length > 0 && !events.includes(event)) {
			return reply(200, { received: true, event, started: false });
		}

		const key = deliveryKey(body.payload);
		const now = triggerClock.now();
		// n8n keeps no static data of test runs, and "Listen for test event" should always show the callback.
		const repeats = this.getMode() === 'manual' ? undefined : options.repeats;
		if (repeats && isRepeat(this.getWorkflowStaticData('node'), key, now, repeats)) {
			return reply(200, { received: true, event, started: false, repeat: true });
		}

		const item = callbackItem(body.payload, new Date(now), key);
		res.status(200).json({ received: true, event, started: true });
		return { noWebhookResponse: true, workflowData: [[{ json: item, pairedItem: { item: 0 } }]] };
	}
}
