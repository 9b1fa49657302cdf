#pragma once

#include <QTableView>

namespace dispatch {

// A table of calls, one row selected at a time, that never moves the dispatcher to another call
// by itself: when the current row goes away (the call ended, or left the list), nothing is
// current any more, instead of Qt's default of selecting the neighbouring row.
class CallTableView : public QTableView
{
    Q_OBJECT

public:
    explicit CallTableView(QWidget *parent = nullptr);

protected Q_SLOTS:
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;
};

} // namespace dispatch
