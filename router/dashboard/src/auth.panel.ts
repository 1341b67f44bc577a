/**
 * The sign-in form and the signed-in line of the page header. ADMIN views (risk zones, trend)
 * need an ADMIN account; another account is told so. `body[data-role]` says who is signed in.
 */
import type { Role } from '../../../operations/generated/graphql';
import type { Session } from './auth.session';
import { GraphQLRequestError } from './graphql.client';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Wires the form of `#signIn` and the `#signedIn` line to `session`. */
export function mountAuthPanel(session: Session): void {
  const form = $<HTMLFormElement>('signIn');
  const error = $('signInError');
  const render = (role: Role | null) => {
    document.body.dataset.role = role ?? 'none';
    form.hidden = role !== null;
    $('signedIn').hidden = role === null;
    $('signedInAs').textContent =
      role === 'ADMIN' ? 'Signed in as ADMIN' : 'Signed in (ADMIN views need an ADMIN account)';
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    error.textContent = '';
    const button = form.querySelector('button')!;
    button.disabled = true;
    try {
      await session.signIn(String(data.get('email') ?? '').trim(), String(data.get('password') ?? ''));
      form.reset();
    } catch (err) {
      error.textContent = err instanceof GraphQLRequestError ? err.message : 'Signing in failed.';
    } finally {
      button.disabled = false;
    }
  });
  $('signOut').addEventListener('click', () => void session.signOut());
  session.onChange(render);
  render(session.role);
}
