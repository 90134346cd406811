// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type DefaultCredentialsAuthType = 'user_key' | 'app_id_and_app_key';

export interface DefaultCredentialsConfig {
  auth_type: DefaultCredentialsAuthType;
  user_key?: string;
  app_id?: string;
  app_key?: string;
  [k: string]: unknown;
}
