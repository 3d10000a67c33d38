"""Device setup: logical CPU devices, and a ``tf.distribute`` strategy over the devices there are.

Krizhevsky et al. split each layer of AlexNet over two GPUs by hand. Today one
writes the model once and lets ``tf.distribute.MirroredStrategy`` copy it onto
every device, give each copy a slice of every batch and average the gradients.
Without several GPUs, the CPU can be split into *logical* devices to try it.
"""

from __future__ import annotations

from dlcourse._tf import tf


def split_cpu(n: int = 2) -> list[str]:
    """Split the CPU into ``n`` logical devices; return their names.

    Must run before TensorFlow creates its devices (before the first tensor or
    model): afterwards TensorFlow refuses and this raises a ``RuntimeError``
    that says so. Calling it again with the same ``n`` is harmless.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    cpu = tf.config.list_physical_devices("CPU")[0]
    current = tf.config.get_logical_device_configuration(cpu)
    if current is None or len(current) != n:
        try:
            tf.config.set_logical_device_configuration(
                cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)])
        except RuntimeError as err:
            raise RuntimeError(
                "TensorFlow has already created its devices (a tensor or model was made before "
                "this call), so the CPU can no longer be split: call split_cpu() right after "
                "`import dlcourse`, before anything else runs (restart the kernel)."
            ) from err
    return [d.name for d in tf.config.list_logical_devices("CPU")]


def mirrored_strategy() -> tf.distribute.MirroredStrategy:
    """A ``MirroredStrategy`` over all GPUs if there are several, else over the logical CPUs."""
    gpus = tf.config.list_logical_devices("GPU")
    if len(gpus) >= 2:
        return tf.distribute.MirroredStrategy()
    cpus = [d.name for d in tf.config.list_logical_devices("CPU")]
    # One device copies nothing; MirroredStrategy still works, with one replica.
    return tf.distribute.MirroredStrategy(devices=cpus)
