// Credo 0.5 registers a protocol's message handlers from its API's constructor, into the one
// registry every tenant shares; a tenant agent is built for each tenant session, so each session
// appended another copy of every handler (some twenty per session, for ever). Only the first
// handler for a message type is ever used (the dispatcher takes the first match), so copies are
// refused here: the registry stays the size it had at start, and dispatch and the list of
// supported message types (which Credo recomputes on every out-of-band invitation) stay cheap.
import { MessageHandlerRegistry } from '@credo-ts/core'

import type { CredenceAgent } from '../createAgent'
import type { CredoPatch } from './patch'

export const messageHandlers: CredoPatch = {
  name: 'messageHandlers',
  targets: { package: '@credo-ts/core', version: '0.5.19' },
  why: 'every tenant session appended another copy of every message handler to the shared registry',
  upstream: 'no report; fixed as a side effect of credo-ts#2415 (handlers registered once, Credo 0.6.0)',
  members: () => [
    { owner: 'MessageHandlerRegistry.prototype', object: MessageHandlerRegistry.prototype, member: 'registerMessageHandler' },
    { owner: 'MessageHandlerRegistry.prototype', object: MessageHandlerRegistry.prototype, member: 'supportedMessageTypes' },
    { owner: 'a MessageHandlerRegistry', object: new MessageHandlerRegistry(), member: 'messageHandlers' },
  ],
}

type Handler = Parameters<MessageHandlerRegistry['registerMessageHandler']>[0]

export function registerMessageHandlersOnce(agent: CredenceAgent): void {
  const registry = agent.dependencyManager.resolve(MessageHandlerRegistry)
  const compute = Object.getOwnPropertyDescriptor(MessageHandlerRegistry.prototype, 'supportedMessageTypes')?.get
  const register = registry.registerMessageHandler.bind(registry)
  const keyOf = (handler: Handler) => `${handler.constructor.name} ${handler.supportedMessages.map((message) => message.type.messageTypeUri).join(' ')}`
  // The root agent's own, registered while it was built.
  const registered = new Set((registry as unknown as { messageHandlers: Handler[] }).messageHandlers.map(keyOf))
  let supported: MessageHandlerRegistry['supportedMessageTypes'] | undefined
  registry.registerMessageHandler = (handler: Handler) => {
    const key = keyOf(handler)
    if (registered.has(key)) return
    registered.add(key)
    supported = undefined
    register(handler)
  }
  if (compute) Object.defineProperty(registry, 'supportedMessageTypes', { configurable: true, get: () => (supported ??= compute.call(registry)) })
}
