import type { ChannelSender, Message, Recipient } from './channel.types';

/**
 * The in-app inbox. The notification row already exists when delivery runs, so delivering
 * it is recording the attempt: always configured, always available, `send` always succeeds.
 * Live updates to open sessions go through GraphQL subscriptions, not through this sender.
 */
export class InAppSender implements ChannelSender {
  readonly channel = 'IN_APP' as const;

  isConfigured(): boolean {
    return true;
  }

  unavailableReason(_recipient: Recipient): string | null {
    return null;
  }

  async send(_recipient: Recipient, _message: Message): Promise<void> {
    // Nothing to transmit: the inbox row is the delivery.
  }
}
