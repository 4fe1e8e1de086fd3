/**
 * Every id, key and number the tests need to address emulator fixtures.
 * Kept free of logic so other test files can import it cheaply.
 */
export const FIXTURES = {
	ice: {
		version: '2020-11-09',
		/** Agent with `instancesPerAgent` (default 23) finished instances, one per hour from defaultAgentFirstCreate. */
		agentId: 'emu-agent-default',
		defaultInstancesPerAgent: 23,
		defaultAgentFirstCreate: '2025-08-14T00:00:00.000+00:00',
		defaultAgentIntervalMs: 60 * 60 * 1000,
		/** Agent with exactly 200 finished instances, one every 10 minutes from benchAgentFirstCreate. */
		benchAgentId: 'emu-agent-bench',
		benchInstanceCount: 200,
		benchAgentFirstCreate: '2025-08-01T00:00:00.000+00:00',
		/** Agent listing the seed, two more finished instances and the executing/broken-log instances. */
		mixedAgentId: 'emu-agent-mixed',
		/** Agent listing the huge and the 100k-sentence instance. */
		stressAgentId: 'emu-agent-stress',
		/** Known agent with no instances. */
		emptyAgentId: 'emu-agent-empty',
		/** Its call log is the real seed transcript (7 sentences). */
		seedInstanceId: 'b9566d0c2f0e4e5c9a7b1f3e8d3c5eb2',
		seedSentenceCount: 7,
		finishedInstanceIds: ['b9566d0c2f0e4e5c9a7b1f3e8d3c5eb2', 'emu-finished-0002', 'emu-finished-0003'],
		/** Status Executing, CallLogUrl ''. */
		executingInstanceId: 'emu-executing',
		/** Call log is cut-off JSON. */
		malformedLogInstanceId: 'emu-log-malformed',
		/** Call log URL answers 403 AccessDenied "Request has expired." (OSS XML). */
		expiredLogInstanceId: 'emu-log-expired',
		/** Call log URL answers 404 NoSuchKey (OSS XML). */
		missingLogInstanceId: 'emu-log-missing',
		/** Call log is valid JSON of hugeLogBytes bytes (Content-Length is sent). */
		hugeLogInstanceId: 'emu-log-huge',
		hugeLogBytes: 64 * 1024 * 1024,
		/** Call log with 100 000 sentences; any /calllogs/big-<N>.json URL streams N sentences, and DescribeAIAgentInstance knows every big-<N>. */
		bigInstanceId: 'big-100000',
		bigSentenceCount: 100000,
		unknownInstanceId: 'emu-no-such-instance',
		/** Agent listing the two instances below, whose CallLogUrl is not an endpoint origin (for URL checks). */
		offsiteAgentId: 'emu-agent-offsite',
		/**
		 * CallLogUrl is `https://<the emulator's host:port>/calllogs/…`: HTTPS on a host that is neither
		 * Alibaba's nor a configured endpoint origin. A client allowed to fetch it fails the TLS handshake
		 * (the emulator speaks plain HTTP), all on loopback.
		 */
		offsiteLogInstanceId: 'emu-log-offsite',
		/** CallLogUrl is plain HTTP on another loopback origin (nothing listens there). */
		plainHttpLogInstanceId: 'emu-log-plain-http',
		plainHttpLogOrigin: 'http://127.0.0.1:9',
		/** ListAIAgentDialogues session: 45 dialogues (a greeting plus 22 user/agent rounds). */
		sessionId: 'emu-session-0001',
		sessionDialogueCount: 45,
		sessionRoundCount: 23,
		/** Unix ms; every dialogue of the session lies inside [sessionStartTime, sessionEndTime]. */
		sessionStartTime: 1755138072000,
		sessionEndTime: 1755138072000 + 45 * 7000,
	},
	chatbot: {
		version: '2022-04-08',
		instanceId: 'chatbot-cn-emu0000001',
		agentKey: 'emu0agent0key0001_p_beebot_public',
		/** Replays the real transcript in fixtures/chatbot-seed.sse. */
		seedUtterance: '你有什么技能?',
		seedAnswer: '我是个大模型,能够回答问题、创作文字,比如写故事、写公文、写邮件、写剧本等等,还能表达观点,玩游戏等。',
		/** An utterance containing this asks for a human; the answer carries Commands.sysToAgent. */
		handoffKeyword: '转人工',
		handoffCommand: '{"skillGroup":"12"}',
		maxUtteranceLength: 128,
		tokenLifetimeMs: 2 * 60 * 60 * 1000,
	},
	ccai: {
		version: '2024-06-03',
		workspaceId: 'llm-emu0ccai0ws01',
		appId: 'a070a49c681f4a95a0f0e0000000035c',
		resultTypes: [
			'summary',
			'title',
			'fields',
			'keywords',
			'service_inspection',
			'question_solution',
			'questions_and_answer',
			'user_profile',
			'category_tag',
			'emotion_detection',
			'satisfaction',
			'actions',
			'service_finish',
			'label_classification',
			'analysis_image',
			'custom_prompt',
			'dianxiao_summary',
		],
	},
	dianjin: {
		version: '2024-06-28',
		workspaceId: 'llm-emu0dianjin01',
		/** COMPLETED, 8 dialogue lines (bot and human seat). */
		completedSessionId: '1906623923815534001',
		/** PROCESSING: detail works, analysis status is 'running'. */
		processingSessionId: '1906623923815534004',
		/** GetDialogDetail answers 200 with success:false, errCode DIALOG_NOT_FOUND. */
		unknownSessionId: '1906623923815534999',
		/** All sessions, oldest first; gmtCreate in sessionTimes (Beijing time, yyyy-MM-dd HH:mm:ss). */
		sessionIds: [
			'1906623923815534000',
			'1906623923815534001',
			'1906623923815534002',
			'1906623923815534003',
			'1906623923815534004',
			'1906623923815534005',
		],
		sessionTimes: [
			'2025-08-14 02:10:00',
			'2025-08-14 09:15:00',
			'2025-08-14 11:40:00',
			'2025-08-14 14:05:00',
			'2025-08-14 16:30:00',
			'2025-08-14 20:50:00',
		],
	},
	sts: {
		version: '2015-04-01',
		accountId: '1234567890123456',
	},
} as const;
