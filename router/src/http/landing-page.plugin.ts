import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

/**
 * What a browser opening `/graphql` gets: Apollo Sandbox, embedded and without cookies, when
 * `sandbox` is on (SANDBOX, on outside production); no landing page otherwise.
 */
export function landingPagePlugin(sandbox: boolean): ApolloServerPlugin {
  return sandbox
    ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
    : ApolloServerPluginLandingPageDisabled();
}
