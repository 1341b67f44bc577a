import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { User } from '../entities/user.entity';

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field(() => String, { description: 'A valid email address (at most 254 characters); one account per address.' })
  email!: string;

  @Field(() => String, { description: '10–128 characters, with a letter and a digit or symbol.' })
  password!: string;

  @Field(() => String, { description: '2–50 characters, shown to others.' })
  displayName!: string;
}

@InputType()
export class LogInInput {
  @Field(() => String, { description: "The account's email address, at most 254 characters." })
  email!: string;

  @Field(() => String, { description: 'The password, at most 128 characters.' })
  password!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The current 6-digit code, when two-factor sign-in is on (at most 16 characters).',
  })
  totp?: string | null;
}

@InputType({ description: 'Profile fields to change; omitted fields stay as they are.' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: '2–50 characters.' })
  displayName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'International phone number (at most 40 characters); empty string removes it.',
  })
  phone?: string | null;
}

@ObjectType({ description: 'Tokens of a sign-in session, and who it belongs to.' })
export class AuthPayload {
  @Field(() => String, { description: 'Short-lived JWT for `Authorization: Bearer …`.' })
  accessToken!: string;

  @Field(() => String, { description: 'Single-use token for refreshSession; rotates on every use.' })
  refreshToken!: string;

  @Field(() => Int, { description: 'Seconds until the access token expires.' })
  expiresIn!: number;

  @Field(() => User)
  user!: User;
}

@ObjectType({ description: 'A new two-factor secret, to be confirmed with confirmTotp.' })
export class TotpSetup {
  @Field(() => String, { description: 'Base32 secret for authenticator apps.' })
  secret!: string;

  @Field(() => String, { description: 'otpauth:// URI (for a QR code).' })
  otpauthUrl!: string;
}
