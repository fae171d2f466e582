// The right pattern: every setting that varies between deploys is read from the
// environment, with safe local defaults only for values that are not secrets.
export interface Settings {
  port: number;
  databaseUrl: string;
  taxRate: number;
  paymentApiKey: string;
}

export function loadSettings(): Settings {
  return {
    port: Number(process.env.PORT ?? 3000),
    databaseUrl: process.env.DATABASE_URL ?? '',
    taxRate: Number(process.env.TAX_RATE ?? '0.2'),
    paymentApiKey: process.env.PAYMENT_API_KEY ?? '',
  };
}
