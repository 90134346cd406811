// The 3scale objects as the Account Management API answers them (the fields the reconcilers read).
export interface Entity {
  id: number;
  [field: string]: unknown;
}
export interface BackendApi extends Entity {
  name: string;
  system_name: string;
  private_endpoint?: string;
  description?: string;
}
export interface Metric extends Entity {
  system_name: string;
  friendly_name?: string;
  unit?: string;
  description?: string;
  parent_id?: number | null;
}
export interface MappingRule extends Entity {
  metric_id: number;
  pattern: string;
  http_method: string;
  delta: number;
  last?: boolean;
  position?: number;
}
export interface Service extends Entity {
  name: string;
  system_name: string;
  state?: string;
  backend_version?: string;
  deployment_option?: string;
}
export interface BackendUsage extends Entity {
  path: string;
  backend_id: number;
  service_id: number;
}
export interface ApplicationPlan extends Entity {
  name: string;
  system_name: string;
  state?: string;
}
export interface Limit extends Entity {
  metric_id: number;
  period: string;
  value: number;
}
export interface PricingRule extends Entity {
  metric_id: number;
  min: number;
  max: number;
  cost_per_unit: string | number;
}
export interface Account extends Entity {
  org_name: string;
  state?: string;
  credit_card_stored?: boolean;
}
export interface User extends Entity {
  username: string;
  email: string;
  state?: string;
  role?: string;
}
export interface Application extends Entity {
  name: string;
  description?: string;
  state?: string;
  /** 3scale answers ids as numbers or as strings. */
  plan_id: number | string;
  service_id: number;
  user_key?: string;
  application_id?: string;
}
export interface ApiDoc extends Entity {
  name: string;
  system_name: string;
  body?: string;
}
export interface RegistryPolicy extends Entity {
  name: string;
  version: string;
  schema?: unknown;
}
export interface ProxyConfig {
  id: number;
  version: number;
  environment: string;
  content?: Record<string, unknown>;
}
