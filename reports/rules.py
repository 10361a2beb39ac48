"""How a province-wide compilation is cut into tasks. Pure: sizes in, chunks out."""


def chunk_blocs(sizes: list[tuple[int, int]], *, units_per_task: int = 40) -> list[list[int]]:
    """Group (bloc id, member count) into tasks of about ``units_per_task`` units each.

    Celery costs ~9 ms per task per worker process; a task per unit would waste that hundreds of
    times, one task for a whole province would leave the second worker idle. Order is kept, so
    the same province always gives the same chunks.
    """
    chunks, current, units = [], [], 0
    for bloc_id, members in sizes:
        if current and units + members > units_per_task:
            chunks.append(current)
            current, units = [], 0
        current.append(bloc_id)
        units += members
    if current:
        chunks.append(current)
    return chunks
