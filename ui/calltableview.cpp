#include "calltableview.h"

#include <QHeaderView>

namespace dispatch {

CallTableView::CallTableView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    // Columns have fixed widths (CallLists sizes them), never from their text: nothing shifts
    // as calls tick or change. The last column takes what is left.
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    horizontalHeader()->setMinimumSectionSize(24);
    setTextElideMode(Qt::ElideRight);
    setWordWrap(false);
    verticalHeader()->hide();
    // Arrows move between calls; Tab moves on to the next control, as everywhere else.
    setTabKeyNavigation(false);
}

void CallTableView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end)
{
    const QModelIndex current = currentIndex();
    if (current.isValid() && current.parent() == parent && current.row() >= start &&
        current.row() <= end)
        selectionModel()->clear();
    QTableView::rowsAboutToBeRemoved(parent, start, end);
}

} // namespace dispatch
