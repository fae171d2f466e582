// A clean module: pure business logic, no I/O, nothing for factorlint to report.
export interface OrderLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export function priceOrder(lines: readonly OrderLine[], taxRate: number): number {
  const net = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return Math.round(net * (1 + taxRate) * 100) / 100;
}
