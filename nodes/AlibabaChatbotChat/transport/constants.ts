export const CHATBOT_API_VERSION = '2022-04-08';
export const CHAT_ACTION = 'TongyiBeebotChat';
export const TOKEN_ACTION = 'ApplyForStreamAccessToken';
/** The API's limit on Utterance, counted in characters (code points). */
export const MAX_UTTERANCE_CHARS = 128;
