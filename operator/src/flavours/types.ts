export const FLAVOURS = ['openshift', 'kubernetes'] as const;
export type Flavour = (typeof FLAVOURS)[number];

export function isFlavour(value: string): value is Flavour {
  return (FLAVOURS as readonly string[]).includes(value);
}
