/** Grid shape of a population: [width, height, channels]; neuron index = (c * H + y) * W + x. */
export type Shape = readonly [number, number, number];

export function neuronIndex(shape: Shape, x: number, y: number, c: number): number {
  return (c * shape[1] + y) * shape[0] + x;
}

export function shapeSize(shape: Shape): number {
  return shape[0] * shape[1] * shape[2];
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}
