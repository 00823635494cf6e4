/** The AlertaUTEC client SDK. The realtime client arrives with the realtime gateway. */
export const SDK_VERSION = '0.1.0';
