import { logger } from "../logger.server";

// Where one-time codes go. The default writes them to the server log (a deployment without an SMS
// contract reads them there); a real provider implements SmsSender and is installed at start-up
// with useSmsSender(). See bots/README.md.

export interface SmsSender {
  /**
   * Sends one verification code to a mainland mobile number (eleven digits). Resolves when the
   * provider accepted the message; rejects when it did not (the owner is told to try again).
   */
  sendCode(phone: string, code: string, minutesValid: number): Promise<void>;
}

export const logSmsSender: SmsSender = {
  async sendCode(phone, code, minutesValid) {
    logger.info({ phone, code, minutesValid }, "owner verification code (no SMS provider configured)");
  },
};

let current: SmsSender = logSmsSender;

export function useSmsSender(sender: SmsSender): void {
  current = sender;
}

export function smsSender(): SmsSender {
  return current;
}
