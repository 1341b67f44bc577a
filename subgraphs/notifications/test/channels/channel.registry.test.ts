import { describe, expect, it } from 'vitest';
import { configuredChannels, createChannelSenders } from '../../src/channels/channel.registry';
import { generateVAPIDKeys } from 'web-push';

describe('createChannelSenders', () => {
  it('builds all six senders; only IN_APP is configured without provider settings', () => {
    const senders = createChannelSenders({});
    expect(Object.keys(senders).sort()).toEqual(['DISCORD', 'EMAIL', 'IN_APP', 'PUSH', 'SMS', 'TELEGRAM']);
    for (const [channel, sender] of Object.entries(senders)) expect(sender.channel).toBe(channel);
    expect(configuredChannels(senders)).toEqual(['IN_APP']);
  });

  it('configures each channel from its section', () => {
    const vapid = generateVAPIDKeys();
    const senders = createChannelSenders({
      email: { host: 'smtp.example.org', from: 'alerts@example.org' },
      telegram: { botToken: '1:x' },
      discord: {},
      sms: { accountSid: 'AC1', authToken: 't', from: '+15005550006' },
      push: { vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey, subject: 'mailto:ops@example.org' },
    });
    expect(configuredChannels(senders)).toEqual(['EMAIL', 'SMS', 'TELEGRAM', 'DISCORD', 'PUSH', 'IN_APP']);
  });
});
