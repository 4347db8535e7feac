/** The image sources a pipeline can name. */
export const IMAGE_SOURCES = ['mnist-sample', 'mnist', 'fashion-mnist', 'cifar10'] as const;
export type ImageSourceName = (typeof IMAGE_SOURCES)[number];

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
export const FASHION_MNIST_CLASSES = ['t-shirt/top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot'];

/** Extra spellings accepted in configs (lower case). */
const ALIASES: Partial<Record<ImageSourceName, Record<string, number>>> = {
  cifar10: { car: 1, plane: 0 },
  'fashion-mnist': { 't-shirt': 0, tshirt: 0, top: 0, 'ankle-boot': 9, boot: 9 },
};

/** Class names of a source, or undefined when its classes are digits. */
export function classNames(source: ImageSourceName): string[] | undefined {
  if (source === 'cifar10') return CIFAR10_CLASSES;
  if (source === 'fashion-mnist') return FASHION_MNIST_CLASSES;
  return undefined;
}

/** Display name of class `c` ("4", "automobile"). */
export function className(source: ImageSourceName, c: number): string {
  return classNames(source)?.[c] ?? String(c);
}

/**
 * Resolves a configured class (an integer 0..9, or a name for sources that
 * have names) to its number; undefined when it is not a class of `source`.
 */
export function resolveClass(source: ImageSourceName, value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 9 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const key = value.trim().toLowerCase();
  const names = classNames(source);
  if (!names) return undefined;
  const index = names.indexOf(key);
  if (index >= 0) return index;
  return ALIASES[source]?.[key];
}

/** What a source accepts, for error messages. */
export function describeClasses(source: ImageSourceName): string {
  const names = classNames(source);
  const aliases = Object.keys(ALIASES[source] ?? {});
  return names
    ? `0..9 or one of ${names.join(', ')}${aliases.length ? ` (also ${aliases.join(', ')})` : ''}`
    : 'an integer 0..9';
}
